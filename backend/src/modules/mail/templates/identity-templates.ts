import { type Static, type TSchema, Type } from 'typebox';
import { PATTERNS } from '../../../lib/patterns.js';
import { type EmailCopy, type Locale, PRODUCT_NAME } from './layout.js';

/** The emails of sign-in with a provider: the link code, and a provider linked or unlinked. */
interface Context<Data> {
  data: Data;
  to: string;
  link(path: string, query?: Record<string, string>): string;
}

function define<Schema extends TSchema>(definition: {
  schema: Schema;
  copy: Record<Locale, (context: Context<Static<Schema>>) => EmailCopy>;
}) {
  return definition;
}

const PROVIDER = Type.String({
  minLength: 1,
  maxLength: 80,
  description: 'The provider, as the sign-in page names it',
});
const LinkCodeData = Type.Object(
  {
    code: Type.String({ pattern: PATTERNS.emailCode.source, description: 'The six-digit code' }),
    provider: PROVIDER,
  },
  { additionalProperties: false },
);
const ProviderData = Type.Object({ provider: PROVIDER }, { additionalProperties: false });

const FOOTER = {
  en: `You received this email because of activity on your ${PRODUCT_NAME} account.`,
  ko: `${PRODUCT_NAME} 계정 활동과 관련하여 발송된 메일입니다.`,
};

export const IDENTITY_TEMPLATES = {
  'identity-link-code': define({
    schema: LinkCodeData,
    copy: {
      en: ({ data, link }) => ({
        subject: `Your ${PRODUCT_NAME} code to link ${data.provider}`,
        heading: `Link ${data.provider} to your account`,
        paragraphs: [
          `Someone signed in with ${data.provider} using this address. Enter this code to link that sign-in to your account. It is valid for 10 minutes.`,
          'If this was not you, do not share the code; your account stays as it is.',
        ],
        code: data.code,
        action: { label: `Open ${PRODUCT_NAME}`, url: link('/sign-in') },
        footer: FOOTER.en,
      }),
      ko: ({ data, link }) => ({
        subject: `${data.provider} 연결을 위한 ${PRODUCT_NAME} 코드`,
        heading: `${data.provider}을(를) 계정에 연결하기`,
        paragraphs: [
          `이 주소로 ${data.provider} 로그인이 시도되었습니다. 이 로그인을 계정에 연결하려면 아래 코드를 입력하세요. 코드는 10분 동안 유효합니다.`,
          '본인이 아니라면 코드를 알려 주지 마세요. 계정은 그대로 유지됩니다.',
        ],
        code: data.code,
        action: { label: `${PRODUCT_NAME} 열기`, url: link('/sign-in') },
        footer: FOOTER.ko,
      }),
    },
  }),

  'identity-linked': define({
    schema: ProviderData,
    copy: {
      en: ({ data, link }) => ({
        subject: `${data.provider} sign-in was linked to your ${PRODUCT_NAME} account`,
        heading: `${data.provider} is linked`,
        paragraphs: [
          `You can now sign in to your account with ${data.provider}.`,
          'If this was not you, unlink it on your account page and reset your password.',
        ],
        action: { label: 'Review account security', url: link('/account') },
        footer: FOOTER.en,
      }),
      ko: ({ data, link }) => ({
        subject: `${PRODUCT_NAME} 계정에 ${data.provider} 로그인이 연결되었습니다`,
        heading: `${data.provider}이(가) 연결되었습니다`,
        paragraphs: [
          `이제 ${data.provider}(으)로 계정에 로그인할 수 있습니다.`,
          '본인이 아니라면 계정 페이지에서 연결을 해제하고 비밀번호를 재설정하세요.',
        ],
        action: { label: '계정 보안 확인하기', url: link('/account') },
        footer: FOOTER.ko,
      }),
    },
  }),

  'identity-unlinked': define({
    schema: ProviderData,
    copy: {
      en: ({ data, link }) => ({
        subject: `${data.provider} sign-in was unlinked from your ${PRODUCT_NAME} account`,
        heading: `${data.provider} is unlinked`,
        paragraphs: [
          `Signing in with ${data.provider} no longer opens your account.`,
          'If this was not you, reset your password now and contact your administrator.',
        ],
        action: { label: 'Review account security', url: link('/account') },
        footer: FOOTER.en,
      }),
      ko: ({ data, link }) => ({
        subject: `${PRODUCT_NAME} 계정에서 ${data.provider} 로그인 연결이 해제되었습니다`,
        heading: `${data.provider} 연결이 해제되었습니다`,
        paragraphs: [
          `이제 ${data.provider}(으)로는 계정에 로그인할 수 없습니다.`,
          '본인이 아니라면 지금 비밀번호를 재설정하고 관리자에게 알리세요.',
        ],
        action: { label: '계정 보안 확인하기', url: link('/account') },
        footer: FOOTER.ko,
      }),
    },
  }),
};
