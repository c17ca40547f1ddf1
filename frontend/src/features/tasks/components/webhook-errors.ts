import type { Translate } from '../../../lib/i18n';
import { ApiError, describeError } from '../../../lib/problem';

/** The target guard's refusals (docs/tasks.md, "SSRF"), in the user's language. */
const REFUSAL_KEYS: Record<string, string> = {
  webhook_url_invalid: 'tasks.settings.webhooks.error.urlInvalid',
  webhook_url_not_https: 'tasks.settings.webhooks.error.urlNotHttps',
  webhook_url_credentials: 'tasks.settings.webhooks.error.urlCredentials',
  webhook_url_unresolvable: 'tasks.settings.webhooks.error.urlUnresolvable',
  webhook_url_private: 'tasks.settings.webhooks.error.urlPrivate',
};

/** Why the server refused a webhook's URL, or undefined when the error is about something else. */
export function webhookUrlRefusal(error: unknown, t: Translate): string | undefined {
  const key = error instanceof ApiError ? REFUSAL_KEYS[error.code] : undefined;
  return key ? t(key) : undefined;
}

/** A sentence for any failed webhook request. */
export function describeWebhookError(error: unknown, t: Translate): string {
  if (error instanceof ApiError && error.code === 'webhooks_disabled') {
    return t('tasks.settings.webhooks.disabled.body');
  }
  return webhookUrlRefusal(error, t) ?? describeError(error);
}

export function isWebhooksDisabled(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'webhooks_disabled';
}
