import { afterEach, describe, expect, it } from 'vitest';
import { activateLocale, t } from '../../../lib/i18n';
import { ApiError } from '../../../lib/problem';
import { describeWebhookError, isWebhooksDisabled, webhookUrlRefusal } from './webhook-errors';

/** The problem documents the webhooks API sends (target-guard.ts, service.ts). */
function problem(status: number, code: string, detail: string) {
  return new ApiError(status, {
    type: `urn:homeport:problem:${code}`,
    title: status === 503 ? 'Service Unavailable' : 'Unprocessable Entity',
    status,
    detail,
    code,
    requestId: 'r',
    ...(status === 422 ? { errors: [{ field: '/body/url', message: detail }] } : {}),
  });
}

const privateTarget = problem(
  422,
  'webhook_url_private',
  'resolves to a loopback, private, link-local or otherwise non-public address',
);
const switchedOff = problem(
  503,
  'webhooks_disabled',
  'Webhooks are not configured on this server (WEBHOOKS_ENCRYPTION_KEY).',
);

afterEach(async () => {
  await activateLocale('en');
});

describe('webhook errors', () => {
  it('words the SSRF refusal in the page’s language, not the server’s', async () => {
    expect(webhookUrlRefusal(privateTarget, t)).toBe(
      'This address is refused: it points to a loopback, private, link-local or otherwise non-public network.',
    );
    await activateLocale('ko');
    expect(webhookUrlRefusal(privateTarget, t)).toBe(
      '허용되지 않는 주소예요. 루프백, 사설, 링크 로컬 등 공용이 아닌 네트워크를 가리켜요.',
    );
    expect(describeWebhookError(switchedOff, t)).toBe(
      '엔드포인트를 추가하려면 관리자가 WEBHOOKS_ENCRYPTION_KEY를 설정해야 해요.',
    );
  });

  it('tells a switched-off server from other failures, and leaves other errors to the server', () => {
    expect(isWebhooksDisabled(switchedOff)).toBe(true);
    expect(isWebhooksDisabled(privateTarget)).toBe(false);
    expect(isWebhooksDisabled(new TypeError('fetch failed'))).toBe(false);
    const forbidden = problem(403, 'board_supervisor_required', 'Only supervisors may do this.');
    expect(webhookUrlRefusal(forbidden, t)).toBeUndefined();
    expect(describeWebhookError(forbidden, t)).toBe('Only supervisors may do this.');
  });
});
