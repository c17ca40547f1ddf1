import { type Static, type TSchema, Type } from 'typebox';
import { PATTERNS } from '../../../lib/patterns.js';
import { IDENTITY_TEMPLATES } from './identity-templates.js';
import { type EmailCopy, type Locale, PRODUCT_NAME } from './layout.js';
import { NOTIFICATION_TEMPLATES } from './notification-templates.js';

/**
 * Every email the product sends, in every locale. To add one: add an entry here with the schema
 * of its data and its copy per locale; `outbox.enqueue` accepts it at once, typed by that schema.
 */
export interface CopyContext<Data> {
  data: Data;
  /** The recipient, e.g. to pre-fill a form the email links to. */
  to: string;
  /** Absolute URL on PUBLIC_URL: the only way a template may build a link. */
  link(path: string, query?: Record<string, string>): string;
}

interface TemplateDefinition<Schema extends TSchema> {
  schema: Schema;
  copy: Record<Locale, (context: CopyContext<Static<Schema>>) => EmailCopy>;
}

function defineTemplate<Schema extends TSchema>(
  definition: TemplateDefinition<Schema>,
): TemplateDefinition<Schema> {
  return definition;
}

const CodeData = Type.Object(
  { code: Type.String({ pattern: PATTERNS.emailCode.source, description: 'The six-digit code' }) },
  { additionalProperties: false },
);
const NoData = Type.Object({}, { additionalProperties: false });
const UnlockData = Type.Object(
  {
    token: Type.String({
      pattern: '^[0-9a-f-]{36}\\.[0-9]{1,15}\\.[A-Za-z0-9_-]{43}$',
      description: 'The signed unlock token (account, lock, HMAC)',
    }),
    minutes: Type.Integer({ minimum: 1, description: 'How long new devices are held off' }),
  },
  { additionalProperties: false },
);
const PasskeyData = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 64, description: "The passkey's name" }) },
  { additionalProperties: false },
);
const InvitationData = Type.Object(
  {
    boardName: Type.String({ minLength: 1, maxLength: 120 }),
    inviter: Type.String({
      minLength: 1,
      maxLength: 254,
      description: 'Who invites: a name or email',
    }),
    role: Type.Union([Type.Literal('supervisor'), Type.Literal('member'), Type.Literal('viewer')]),
    token: Type.String({
      pattern: '^[A-Za-z0-9_-]{43}$',
      description: 'The single-use invitation token',
    }),
    hours: Type.String({ pattern: '^[0-9]{1,3}$', description: 'How long the link is valid' }),
  },
  { additionalProperties: false },
);
const ROLE_NAMES = {
  en: { supervisor: 'supervisor', member: 'member', viewer: 'viewer' },
  ko: { supervisor: '관리자', member: '멤버', viewer: '보기 전용' },
} as const;

const FOOTER = {
  en: `You received this email because of activity on your ${PRODUCT_NAME} account.`,
  ko: `${PRODUCT_NAME} 계정 활동과 관련하여 발송된 메일입니다.`,
};

export const TEMPLATES = {
  'signup-code': defineTemplate({
    schema: CodeData,
    copy: {
      en: ({ data, to, link }) => ({
        subject: `Your ${PRODUCT_NAME} confirmation code`,
        heading: 'Confirm your email address',
        paragraphs: [
          'Enter this code to finish creating your account. It is valid for 24 hours.',
          'If you did not sign up, you can ignore this email.',
        ],
        code: data.code,
        action: { label: 'Enter the code', url: link('/confirm', { email: to }) },
        footer: FOOTER.en,
      }),
      ko: ({ data, to, link }) => ({
        subject: `${PRODUCT_NAME} 이메일 인증 코드`,
        heading: '이메일 주소를 인증해 주세요',
        paragraphs: [
          '아래 코드를 입력하면 가입이 완료됩니다. 코드는 24시간 동안 유효합니다.',
          '가입하신 적이 없다면 이 메일을 무시하셔도 됩니다.',
        ],
        code: data.code,
        action: { label: '코드 입력하기', url: link('/confirm', { email: to }) },
        footer: FOOTER.ko,
      }),
    },
  }),

  'password-reset-code': defineTemplate({
    schema: CodeData,
    copy: {
      en: ({ data, to, link }) => ({
        subject: `Your ${PRODUCT_NAME} password reset code`,
        heading: 'Reset your password',
        paragraphs: [
          'Enter this code to choose a new password.',
          'If you did not ask to reset your password, ignore this email; your password stays as it is.',
        ],
        code: data.code,
        action: { label: 'Reset password', url: link('/reset-password', { email: to }) },
        footer: FOOTER.en,
      }),
      ko: ({ data, to, link }) => ({
        subject: `${PRODUCT_NAME} 비밀번호 재설정 코드`,
        heading: '비밀번호 재설정',
        paragraphs: [
          '아래 코드를 입력하고 새 비밀번호를 설정하세요.',
          '비밀번호 재설정을 요청하지 않으셨다면 이 메일을 무시하세요. 비밀번호는 바뀌지 않습니다.',
        ],
        code: data.code,
        action: { label: '비밀번호 재설정하기', url: link('/reset-password', { email: to }) },
        footer: FOOTER.ko,
      }),
    },
  }),

  'password-changed': defineTemplate({
    schema: NoData,
    copy: {
      en: ({ link }) => ({
        subject: `Your ${PRODUCT_NAME} password was changed`,
        heading: 'Your password was changed',
        paragraphs: [
          'The password of your account was just changed, and your other sessions were signed out.',
          'If this was not you, reset your password now.',
        ],
        action: { label: 'Reset password', url: link('/forgot-password') },
        footer: FOOTER.en,
      }),
      ko: ({ link }) => ({
        subject: `${PRODUCT_NAME} 비밀번호가 변경되었습니다`,
        heading: '비밀번호가 변경되었습니다',
        paragraphs: [
          '계정의 비밀번호가 방금 변경되었고, 다른 기기의 로그인은 모두 해제되었습니다.',
          '본인이 변경하지 않았다면 지금 비밀번호를 재설정하세요.',
        ],
        action: { label: '비밀번호 재설정하기', url: link('/forgot-password') },
        footer: FOOTER.ko,
      }),
    },
  }),

  'password-reset': defineTemplate({
    schema: NoData,
    copy: {
      en: ({ link }) => ({
        subject: `Your ${PRODUCT_NAME} password was reset`,
        heading: 'Your password was reset',
        paragraphs: [
          'The password of your account was reset with an emailed code, and every session was signed out.',
          'If this was not you, reset your password again now and check your email account.',
        ],
        action: { label: 'Reset password', url: link('/forgot-password') },
        footer: FOOTER.en,
      }),
      ko: ({ link }) => ({
        subject: `${PRODUCT_NAME} 비밀번호가 재설정되었습니다`,
        heading: '비밀번호가 재설정되었습니다',
        paragraphs: [
          '이메일로 받은 코드로 계정의 비밀번호가 재설정되었고, 모든 기기의 로그인이 해제되었습니다.',
          '본인이 아니라면 지금 다시 비밀번호를 재설정하고 이메일 계정의 보안도 확인하세요.',
        ],
        action: { label: '비밀번호 재설정하기', url: link('/forgot-password') },
        footer: FOOTER.ko,
      }),
    },
  }),

  'account-deleted': defineTemplate({
    schema: NoData,
    copy: {
      en: ({ link }) => ({
        subject: `Your ${PRODUCT_NAME} account was deleted`,
        heading: 'Your account was deleted',
        paragraphs: [
          'Your account and the data in it were deleted, and every session was signed out.',
          'Thank you for using the service. You are welcome back at any time.',
        ],
        action: { label: `Visit ${PRODUCT_NAME}`, url: link('/') },
        footer: `You received this email because your ${PRODUCT_NAME} account was deleted. We will not email you again.`,
      }),
      ko: ({ link }) => ({
        subject: `${PRODUCT_NAME} 계정이 삭제되었습니다`,
        heading: '계정이 삭제되었습니다',
        paragraphs: [
          '계정과 계정의 데이터가 삭제되었고, 모든 기기의 로그인이 해제되었습니다.',
          '그동안 이용해 주셔서 감사합니다. 언제든 다시 찾아 주세요.',
        ],
        action: { label: `${PRODUCT_NAME} 방문하기`, url: link('/') },
        footer: `${PRODUCT_NAME} 계정이 삭제되어 발송된 메일입니다. 앞으로 메일을 보내지 않습니다.`,
      }),
    },
  }),

  'account-unlock': defineTemplate({
    schema: UnlockData,
    copy: {
      en: ({ data, link }) => ({
        subject: `Sign-in to your ${PRODUCT_NAME} account was paused`,
        heading: 'Too many wrong passwords',
        paragraphs: [
          `Someone entered a wrong password for your account many times, so sign-in from new devices is paused for ${data.minutes} minutes. Devices you have signed in on before still work.`,
          'If this was you, unlock your account with the button below. If it was not, your password held; consider changing it to a long one you use nowhere else.',
        ],
        action: { label: 'Unlock my account', url: link('/sign-in', { unlock: data.token }) },
        footer: FOOTER.en,
      }),
      ko: ({ data, link }) => ({
        subject: `${PRODUCT_NAME} 계정 로그인이 일시 중지되었습니다`,
        heading: '잘못된 비밀번호 입력이 너무 많습니다',
        paragraphs: [
          `누군가 계정의 비밀번호를 여러 번 잘못 입력하여, 새 기기에서의 로그인이 ${data.minutes}분 동안 중지되었습니다. 이전에 로그인한 기기에서는 계속 로그인할 수 있습니다.`,
          '본인이 시도한 것이라면 아래 버튼으로 잠금을 해제하세요. 본인이 아니라면 비밀번호는 안전하지만, 다른 곳에서 쓰지 않는 긴 비밀번호로 바꾸는 것을 권장합니다.',
        ],
        action: { label: '계정 잠금 해제하기', url: link('/sign-in', { unlock: data.token }) },
        footer: FOOTER.ko,
      }),
    },
  }),

  'mfa-enabled': defineTemplate({
    schema: NoData,
    copy: {
      en: ({ link }) => ({
        subject: `Two-step sign-in was turned on for your ${PRODUCT_NAME} account`,
        heading: 'Two-step sign-in is on',
        paragraphs: [
          'An authenticator app was added to your account: signing in now also asks for its code. Keep your recovery codes somewhere safe.',
          'If this was not you, reset your password now and contact your administrator.',
        ],
        action: { label: 'Review account security', url: link('/account') },
        footer: FOOTER.en,
      }),
      ko: ({ link }) => ({
        subject: `${PRODUCT_NAME} 계정에 2단계 로그인이 켜졌습니다`,
        heading: '2단계 로그인이 켜졌습니다',
        paragraphs: [
          '계정에 인증 앱이 추가되어, 이제 로그인할 때 인증 앱의 코드도 입력해야 합니다. 복구 코드는 안전한 곳에 보관하세요.',
          '본인이 아니라면 지금 비밀번호를 재설정하고 관리자에게 알리세요.',
        ],
        action: { label: '계정 보안 확인하기', url: link('/account') },
        footer: FOOTER.ko,
      }),
    },
  }),

  'mfa-disabled': defineTemplate({
    schema: Type.Object(
      { byAdmin: Type.Boolean({ description: 'An administrator reset it, not the user' }) },
      { additionalProperties: false },
    ),
    copy: {
      en: ({ data, link }) => ({
        subject: `Two-step sign-in was turned off for your ${PRODUCT_NAME} account`,
        heading: 'Two-step sign-in is off',
        paragraphs: [
          data.byAdmin
            ? 'An administrator removed the authenticator app from your account: signing in asks only for your password until you set it up again.'
            : 'The authenticator app was removed from your account, and its recovery codes no longer work: signing in asks only for your password.',
          'If you did not expect this, reset your password now and set up two-step sign-in again.',
        ],
        action: { label: 'Review account security', url: link('/account') },
        footer: FOOTER.en,
      }),
      ko: ({ data, link }) => ({
        subject: `${PRODUCT_NAME} 계정의 2단계 로그인이 꺼졌습니다`,
        heading: '2단계 로그인이 꺼졌습니다',
        paragraphs: [
          data.byAdmin
            ? '관리자가 계정의 인증 앱을 해제했습니다. 다시 설정할 때까지 로그인에는 비밀번호만 필요합니다.'
            : '계정의 인증 앱이 해제되었고 복구 코드도 더 이상 사용할 수 없습니다. 로그인에는 비밀번호만 필요합니다.',
          '예상하지 못한 일이라면 지금 비밀번호를 재설정하고 2단계 로그인을 다시 설정하세요.',
        ],
        action: { label: '계정 보안 확인하기', url: link('/account') },
        footer: FOOTER.ko,
      }),
    },
  }),

  'mfa-recovery-codes': defineTemplate({
    schema: NoData,
    copy: {
      en: ({ link }) => ({
        subject: `New recovery codes were made for your ${PRODUCT_NAME} account`,
        heading: 'New recovery codes',
        paragraphs: [
          'A new set of recovery codes was made for your account; the earlier codes no longer work.',
          'If this was not you, reset your password now and contact your administrator.',
        ],
        action: { label: 'Review account security', url: link('/account') },
        footer: FOOTER.en,
      }),
      ko: ({ link }) => ({
        subject: `${PRODUCT_NAME} 계정의 복구 코드가 새로 만들어졌습니다`,
        heading: '새 복구 코드',
        paragraphs: [
          '계정의 복구 코드가 새로 만들어졌고, 이전 복구 코드는 더 이상 사용할 수 없습니다.',
          '본인이 아니라면 지금 비밀번호를 재설정하고 관리자에게 알리세요.',
        ],
        action: { label: '계정 보안 확인하기', url: link('/account') },
        footer: FOOTER.ko,
      }),
    },
  }),

  'mfa-recovery-code-used': defineTemplate({
    schema: Type.Object(
      { codesLeft: Type.Integer({ minimum: 0, description: 'Unused recovery codes left' }) },
      { additionalProperties: false },
    ),
    copy: {
      en: ({ data, link }) => ({
        subject: `A recovery code was used to sign in to your ${PRODUCT_NAME} account`,
        heading: 'A recovery code was used',
        paragraphs: [
          data.codesLeft === 0
            ? 'Someone signed in to your account with your last recovery code. Make new codes now, or you may lose access if your authenticator app is lost.'
            : `Someone signed in to your account with a recovery code. ${data.codesLeft === 1 ? 'One code is' : `${data.codesLeft} codes are`} left.`,
          'If this was not you, reset your password now, turn two-step sign-in off and on again, and contact your administrator.',
        ],
        action: { label: 'Review account security', url: link('/account') },
        footer: FOOTER.en,
      }),
      ko: ({ data, link }) => ({
        subject: `${PRODUCT_NAME} 계정 로그인에 복구 코드가 사용되었습니다`,
        heading: '복구 코드가 사용되었습니다',
        paragraphs: [
          data.codesLeft === 0
            ? '마지막 복구 코드로 계정에 로그인했습니다. 인증 앱을 잃어버리면 계정에 들어갈 수 없으니 지금 새 복구 코드를 만드세요.'
            : `복구 코드로 계정에 로그인했습니다. 남은 복구 코드는 ${data.codesLeft}개입니다.`,
          '본인이 아니라면 지금 비밀번호를 재설정하고, 2단계 로그인을 껐다가 다시 켠 뒤 관리자에게 알리세요.',
        ],
        action: { label: '계정 보안 확인하기', url: link('/account') },
        footer: FOOTER.ko,
      }),
    },
  }),

  'passkey-added': defineTemplate({
    schema: PasskeyData,
    copy: {
      en: ({ data, link }) => ({
        subject: `A passkey was added to your ${PRODUCT_NAME} account`,
        heading: 'A new passkey can sign in',
        paragraphs: [
          `The passkey "${data.name}" was added to your account: it can now sign in without your password.`,
          'If this was not you, remove it on your account page, reset your password and contact your administrator.',
        ],
        action: { label: 'Review account security', url: link('/account') },
        footer: FOOTER.en,
      }),
      ko: ({ data, link }) => ({
        subject: `${PRODUCT_NAME} 계정에 패스키가 추가되었습니다`,
        heading: '새 패스키로 로그인할 수 있습니다',
        paragraphs: [
          `패스키 "${data.name}"이(가) 계정에 추가되어, 이제 비밀번호 없이 로그인할 수 있습니다.`,
          '본인이 아니라면 계정 페이지에서 이 패스키를 삭제하고, 비밀번호를 재설정한 뒤 관리자에게 알리세요.',
        ],
        action: { label: '계정 보안 확인하기', url: link('/account') },
        footer: FOOTER.ko,
      }),
    },
  }),

  'passkey-removed': defineTemplate({
    schema: PasskeyData,
    copy: {
      en: ({ data, link }) => ({
        subject: `A passkey was removed from your ${PRODUCT_NAME} account`,
        heading: 'A passkey was removed',
        paragraphs: [
          `The passkey "${data.name}" was removed from your account and can no longer sign in.`,
          'If you did not expect this, reset your password now and contact your administrator.',
        ],
        action: { label: 'Review account security', url: link('/account') },
        footer: FOOTER.en,
      }),
      ko: ({ data, link }) => ({
        subject: `${PRODUCT_NAME} 계정에서 패스키가 삭제되었습니다`,
        heading: '패스키가 삭제되었습니다',
        paragraphs: [
          `패스키 "${data.name}"이(가) 계정에서 삭제되어 더 이상 로그인할 수 없습니다.`,
          '예상하지 못한 일이라면 지금 비밀번호를 재설정하고 관리자에게 알리세요.',
        ],
        action: { label: '계정 보안 확인하기', url: link('/account') },
        footer: FOOTER.ko,
      }),
    },
  }),

  'board-invitation': defineTemplate({
    schema: InvitationData,
    copy: {
      en: ({ data, to, link }) => ({
        subject: `${data.inviter} invited you to the board "${data.boardName}" on ${PRODUCT_NAME}`,
        heading: `Join "${data.boardName}"`,
        paragraphs: [
          `${data.inviter} invited you to the Tasks board "${data.boardName}" as a ${ROLE_NAMES.en[data.role]}.`,
          `Sign in (or create your account with ${to} first), then open the link. It works once and for ${data.hours} hours.`,
          'If you did not expect this invitation, you can ignore this email.',
        ],
        action: {
          label: 'Accept the invitation',
          url: link('/invitations/accept', { token: data.token }),
        },
        footer: `You received this email because ${data.inviter} invited this address to ${PRODUCT_NAME}.`,
      }),
      ko: ({ data, to, link }) => ({
        subject: `${data.inviter} 님이 ${PRODUCT_NAME} 보드 "${data.boardName}"에 초대했습니다`,
        heading: `"${data.boardName}" 보드에 참여하세요`,
        paragraphs: [
          `${data.inviter} 님이 Tasks 보드 "${data.boardName}"에 ${ROLE_NAMES.ko[data.role]}(으)로 초대했습니다.`,
          `로그인한 뒤(계정이 없다면 ${to} 주소로 먼저 가입한 뒤) 링크를 여세요. 링크는 한 번만, ${data.hours}시간 동안 사용할 수 있습니다.`,
          '초대를 예상하지 않으셨다면 이 메일을 무시하셔도 됩니다.',
        ],
        action: { label: '초대 수락하기', url: link('/invitations/accept', { token: data.token }) },
        footer: `${data.inviter} 님이 이 주소를 ${PRODUCT_NAME}에 초대하여 발송된 메일입니다.`,
      }),
    },
  }),

  ...NOTIFICATION_TEMPLATES,
  ...IDENTITY_TEMPLATES,
} as const;

export type TemplateName = keyof typeof TEMPLATES;
export type TemplateData<Name extends TemplateName> = Static<(typeof TEMPLATES)[Name]['schema']>;
export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];
