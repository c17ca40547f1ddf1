import type { Translate } from '../../../lib/i18n';
import { ApiError, describeError } from '../../../lib/problem';

/**
 * A sentence for a failed passkey ceremony: the browser's own refusals (the prompt closed or
 * timed out, this authenticator already registered) in the page's language, else the API's.
 */
export function passkeyErrorMessage(t: Translate, error: unknown): string {
  if (error instanceof ApiError) return describeError(error);
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || name === 'InvalidStateError') {
    return t('auth.passkeys.error.alreadyRegistered');
  }
  if (code === 'ERROR_CEREMONY_ABORTED' || name === 'NotAllowedError' || name === 'AbortError') {
    return t('auth.passkeys.error.cancelled');
  }
  if (name === 'SecurityError') return t('auth.passkeys.error.insecure');
  return describeError(error);
}
