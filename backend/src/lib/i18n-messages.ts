import type { FastifySchemaValidationError } from 'fastify';
import { interpolate, type Locale } from './i18n.js';
import { PATTERNS } from './patterns.js';

/**
 * The API's messages in Korean. English is the language the code is written in (each error's own
 * message, lib/validation-messages.ts); this catalogue holds the other language, keyed by what is
 * stable: the problem `code`, the HTTP status (titles) and the validation keyword. A message
 * missing here falls back to English, never to nothing. Korean is written for people (해요체).
 *
 * To add a language: add it to LOCALES in lib/i18n.ts and a catalogue of the same shape here.
 */

/** A fixed translation, or rules that read the figures out of the English message. */
type Translation = string | readonly (readonly [RegExp, string])[];

const TITLES_KO: Record<number, string> = {
  400: '잘못된 요청',
  401: '인증 필요',
  403: '권한 없음',
  404: '찾을 수 없음',
  405: '허용되지 않는 메서드',
  409: '충돌',
  410: '만료됨',
  412: '전제 조건 실패',
  413: '너무 큼',
  414: '주소가 너무 김',
  415: '지원하지 않는 형식',
  422: '처리할 수 없는 내용',
  429: '요청이 너무 많음',
  500: '서버 오류',
  502: '게이트웨이 오류',
  503: '일시적으로 사용할 수 없음',
};

const DETAILS_KO: Record<string, Translation> = {
  // Shared
  validation_failed: [
    [/^The purpose is not valid\.$/, '파일 용도가 올바르지 않아요.'],
    [/.*/, '요청 내용이 올바르지 않아요.'],
  ],
  bad_request: '요청을 처리할 수 없어요.',
  unauthorized: '로그인이 필요해요.',
  forbidden: '이 작업을 할 권한이 없어요.',
  rate_limited: '요청이 너무 많아요. {retryMinutes}분 후에 다시 시도하세요.',
  malformed_json: '요청 본문이 올바른 JSON이 아니에요.',
  empty_body: '요청 본문이 비어 있어요. JSON을 보내야 해요.',
  unsupported_media_type: [
    [/multipart/, '파일은 multipart/form-data로 보내야 해요.'],
    [/.*/, '이 형식의 요청 본문은 받을 수 없어요.'],
  ],
  invalid_content_length: 'Content-Length 헤더가 본문 크기와 맞지 않아요.',
  payload_too_large: '요청 본문이 너무 커요.',
  database_unavailable: '데이터베이스에 연결할 수 없어요. 잠시 후 다시 시도하세요.',
  internal_error: '예상하지 못한 오류가 생겼어요.',
  route_not_found: '요청한 주소를 처리하는 API가 없어요.',
  method_not_allowed: [[/use (.+)\.$/, '이 주소에서는 이 메서드를 쓸 수 없어요. $1을(를) 쓰세요.']],
  invalid_cursor: '페이지 위치 값이 올바르지 않아요. 첫 페이지부터 다시 불러오세요.',
  // Sign-in and tokens
  missing_token: '액세스 토큰이 필요해요.',
  invalid_token: '액세스 토큰이 올바르지 않아요.',
  session_revoked: '로그아웃된 세션이에요.',
  token_outdated: '역할이 바뀌었어요. 토큰을 새로 받으세요.',
  insufficient_role: '지금 역할로는 할 수 없는 작업이에요.',
  invalid_credentials: '이메일 또는 비밀번호가 올바르지 않아요.',
  invalid_refresh_token: '다시 로그인하세요.',
  missing_refresh_token: '먼저 로그인하세요.',
  session_expired: '세션이 끝났어요. 다시 로그인하세요.',
  refresh_token_reused: '이미 사용한 리프레시 토큰이라 세션을 로그아웃시켰어요.',
  body_tokens_not_for_browsers: '브라우저는 리프레시 토큰을 httpOnly 쿠키로만 받을 수 있어요.',
  account_not_confirmed: '먼저 이메일로 받은 코드로 이메일 주소를 인증하세요.',
  account_disabled: '비활성화된 계정이에요.',
  invalid_code: '코드가 올바르지 않아요. 만료되었다면 새 코드를 요청하세요.',
  csrf_rejected: '다른 사이트에서 보낸 요청이라 거부했어요.',
  wrong_password: [
    [/current/, '현재 비밀번호가 올바르지 않아요.'],
    [/.*/, '비밀번호가 올바르지 않아요.'],
  ],
  // Two-step sign-in (MFA)
  invalid_mfa_code: '코드가 올바르지 않아요.',
  invalid_mfa_challenge: '다시 로그인하세요.',
  mfa_attempts_exhausted: '이번 로그인에서 잘못된 코드를 너무 많이 입력했어요. 다시 로그인하세요.',
  mfa_required: '관리 작업을 하려면 2단계 인증으로 로그인해야 해요.',
  mfa_not_configured: '이 서버에는 2단계 로그인이 설정되어 있지 않아요.',
  mfa_already_enabled: '2단계 로그인이 이미 켜져 있어요.',
  mfa_not_enabled: '2단계 로그인이 켜져 있지 않아요.',
  mfa_not_pending: '먼저 설정을 시작하세요.',
  reauthentication_required: [
    [/Sign in again to add a passkey/, '패스키를 추가하려면 다시 로그인하세요.'],
    [/add a passkey/, '패스키를 추가하려면 비밀번호를 다시 입력하세요.'],
    [/.*/, '2단계 로그인을 설정하려면 비밀번호를 다시 입력하세요.'],
  ],
  // Passkeys
  passkey_not_verified: '패스키를 확인하지 못했어요. 다시 시도하세요.',
  passkey_challenge_invalid: '패스키 요청이 만료되었거나 이미 사용되었어요. 다시 시도하세요.',
  passkey_unknown:
    '여기에 등록되지 않은 패스키예요. 다른 방법으로 로그인한 뒤 계정 페이지에서 추가하세요.',
  passkey_counter_regressed:
    '이 패스키가 이전 서명 카운터로 응답해 복제되었을 수 있어요. 다른 방법으로 로그인해 이 패스키를 삭제하세요.',
  passkey_already_registered: '이미 등록된 패스키예요.',
  passkey_limit: '패스키는 계정당 20개까지 등록할 수 있어요. 먼저 하나를 삭제하세요.',
  passkey_not_offered: '인증 앱이나 복구 코드를 사용하세요.',
  passkey_not_found: '패스키를 찾을 수 없어요.',
  last_sign_in_method:
    '유일한 로그인 방법이라 없앨 수 없어요. 먼저 비밀번호를 설정하거나 다른 로그인 방법을 추가하세요.',
  // Users and admin
  user_not_found: '사용자를 찾을 수 없어요.',
  session_not_found: '세션을 찾을 수 없어요.',
  cannot_demote_self: '내 관리자 역할은 직접 없앨 수 없어요.',
  cannot_disable_self: '내 계정은 직접 비활성화할 수 없어요.',
  suppression_not_found: '차단 목록에 없는 주소예요.',
  // Items
  item_not_found: '항목을 찾을 수 없어요.',
  item_exists:
    '아이디가 “{id}”인 항목(“{name}”)이 이미 있어요. 다른 아이디를 쓰거나 그 항목을 수정하세요.',
  // Files
  file_not_found: '파일을 찾을 수 없어요.',
  upload_not_found: '업로드를 찾을 수 없어요.',
  file_too_large: [[/(\d+) bytes/, '여기에 올릴 수 있는 크기는 $1바이트까지예요.']],
  content_type_not_allowed: [[/"([^"]*)"/, '“$1” 형식의 파일은 여기에 올릴 수 없어요.']],
  upload_expired: '업로드 시간이 지났어요. 새로 요청하세요.',
  upload_missing: '이 업로드로 올라온 파일이 없어요.',
  upload_key_mismatch: '업로드한 위치가 맞지 않아요.',
  upload_size_mismatch: [
    [/has (\d+) bytes; between 1 and (\d+)/, '올라온 파일이 $1바이트예요. 1~$2바이트여야 해요.'],
  ],
  upload_type_mismatch: [
    [
      /stored as "([^"]*)" but declared as "([^"]*)"/,
      '파일이 “$1” 형식으로 저장됐지만 “$2” 형식이라고 했어요.',
    ],
  ],
  upload_content_mismatch: [[/not (\S+?)\.?$/, '파일 내용이 $1 형식이 아니에요.']],
  too_many_files: [[/At most (\d+)/, '한 번에 파일을 $1개까지 보낼 수 있어요.']],
  purpose_required: '파일보다 먼저 `purpose` 필드를 보내세요.',
  file_required: '요청에 파일이 없어요.',
  invalid_user_id: '저장소 경로에 쓸 수 없는 사용자 아이디예요.',
  job_queue_unavailable: '백그라운드 작업이 아직 준비되지 않았어요. 잠시 후 다시 시도하세요.',
  // Webhooks (read by operators, translated all the same)
  invalid_webhook_secret: '웹훅 비밀 값이 없거나 올바르지 않아요.',
  // Live event streams
  event_streams_limit: '실시간 연결이 너무 많이 열려 있어요. 다른 창을 닫고 다시 시도해 주세요.',
};

/** Messages that services attach to fields, keyed by their English wording. */
const FIELD_MESSAGES_KO: readonly (readonly [RegExp, string])[] = [
  [/^is required for a new account$/, '새 계정에는 꼭 입력해야 해요'],
  [/^is required$/, '꼭 입력해야 해요'],
  [/^must be at least (\d+) characters$/, '$1자 이상이어야 해요'],
  [/^must be at most (\d+) characters$/, '$1자 이하여야 해요'],
  [
    /^is too common; choose one that is harder to guess$/,
    '너무 흔한 비밀번호예요. 추측하기 어려운 것으로 고르세요',
  ],
  [/^must be "cookie" for browser requests$/, '브라우저 요청에서는 "cookie"여야 해요'],
  [/^is not correct$/, '올바르지 않아요'],
  [/^content does not match (.+)$/, '내용이 $1 형식과 맞지 않아요'],
  [/^must be one of: (.+)$/, '다음 중 하나여야 해요: $1'],
  [/^must come before the first file$/, '첫 파일보다 먼저 보내야 해요'],
  [/^must be at most (\d+) bytes$/, '$1바이트 이하여야 해요'],
  [/^is not a cursor this API issued$/, '이 API가 발급한 페이지 위치 값이 아니에요'],
];

const PATTERN_MESSAGES_KO: Record<keyof typeof PATTERNS, string> = {
  notBlank: '공백만 입력할 수는 없어요',
  email: '이메일 주소여야 해요',
  emailCode: '이메일로 받은 6자리 숫자여야 해요',
  itemId: '영문자, 숫자, "-", "_"로 1~64자여야 해요',
  mediaType: 'image/png 같은 미디어 타입이어야 해요',
  eventType: 'password.changed 같은 이벤트 종류여야 해요',
};

const PATTERN_BY_SOURCE = new Map<string, string>(
  (Object.keys(PATTERNS) as (keyof typeof PATTERNS)[]).map((key) => [
    PATTERNS[key].source,
    PATTERN_MESSAGES_KO[key],
  ]),
);

const TYPE_NAMES_KO: Record<string, string> = {
  string: '문자열',
  integer: '정수',
  number: '숫자',
  boolean: 'true 또는 false',
  array: '목록',
  object: '객체',
  null: 'null',
};

const FORMAT_NAMES_KO: Record<string, string> = {
  email: '이메일 주소',
  uuid: 'UUID',
  'date-time': '날짜와 시각(ISO 8601)',
  date: '날짜(YYYY-MM-DD)',
  uri: 'URL',
};

function translate(translation: Translation | undefined, english: string): string | undefined {
  if (translation === undefined) return undefined;
  if (typeof translation === 'string') return translation;
  for (const [pattern, template] of translation) {
    const match = pattern.exec(english);
    if (match) return template.replace(/\$(\d)/g, (_, index: string) => match[Number(index)] ?? '');
  }
  return undefined;
}

/** The title of an HTTP status in `locale`; undefined: keep the English one. */
export function problemTitle(status: number, locale: Locale): string | undefined {
  return locale === 'ko' ? TITLES_KO[status] : undefined;
}

/** The detail of problem `code` in `locale`, from its English text and its values. */
export function problemDetail(
  code: string,
  english: string,
  locale: Locale,
  params: Record<string, string | number> = {},
): string {
  if (locale !== 'ko') return english;
  const text = translate(DETAILS_KO[code], english);
  return text === undefined ? english : interpolate(text, params);
}

/** A field message a service wrote in English, in `locale`. */
export function fieldMessage(english: string, locale: Locale): string {
  if (locale !== 'ko') return english;
  return translate(FIELD_MESSAGES_KO, english) ?? english;
}

/** A list in Korean: "a, b 또는 c". */
function orList(values: readonly unknown[]): string {
  return new Intl.ListFormat('ko', { type: 'disjunction' }).format(values.map(String));
}

/**
 * A schema validation failure in Korean, by Ajv keyword (the English wording lives in
 * lib/validation-messages.ts). Undefined for a keyword without a translation here.
 */
export function validationMessageKo(issue: FastifySchemaValidationError): string | undefined {
  const params = issue.params as Record<string, unknown>;
  switch (issue.keyword) {
    case 'required':
      return '꼭 입력해야 해요';
    case 'additionalProperties':
      return '이 요청에서 받지 않는 필드예요';
    case 'type':
      return `${TYPE_NAMES_KO[String(params.type)] ?? params.type}이어야 해요`;
    case 'minLength':
      return params.limit === 1 ? '비워 둘 수 없어요' : `${params.limit}자 이상이어야 해요`;
    case 'maxLength':
      return `${params.limit}자 이하여야 해요`;
    case 'minimum':
      return `${params.limit} 이상이어야 해요`;
    case 'maximum':
      return `${params.limit} 이하여야 해요`;
    case 'exclusiveMinimum':
      return `${params.limit}보다 커야 해요`;
    case 'exclusiveMaximum':
      return `${params.limit}보다 작아야 해요`;
    case 'minItems':
      return `${params.limit}개 이상이어야 해요`;
    case 'maxItems':
      return `${params.limit}개 이하여야 해요`;
    case 'uniqueItems':
      return '같은 값을 두 번 넣을 수 없어요';
    case 'format':
      return `${FORMAT_NAMES_KO[String(params.format)] ?? `올바른 ${params.format}`} 형식이어야 해요`;
    case 'enum':
      return `${orList(params.allowedValues as unknown[])} 중 하나여야 해요`;
    case 'const':
      return `${params.allowedValue}이어야 해요`;
    case 'pattern':
      return PATTERN_BY_SOURCE.get(String(params.pattern)) ?? '형식이 올바르지 않아요';
    default:
      return undefined;
  }
}

/** "must be one of: a, b or c" for a union of literals, in Korean. */
export function oneOfMessageKo(allowed: readonly unknown[]): string {
  return `${orList(allowed)} 중 하나여야 해요`;
}
