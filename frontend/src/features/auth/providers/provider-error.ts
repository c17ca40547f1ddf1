import type { Translate } from '../../../lib/i18n';

const KNOWN = [
  'provider_error',
  'invalid_state',
  'id_token_rejected',
  'email_not_verified',
  'account_disabled',
  'identity_already_linked',
  'invalid_link_request',
  'invalid_link_ticket',
  'provider_not_found',
  'rate_limited',
] as const;

/** A sentence for the `error` / `link_error` code the provider round trip came back with. */
export function providerErrorMessage(t: Translate, code: string): string {
  switch ((KNOWN as readonly string[]).includes(code) ? code : '') {
    case 'provider_error':
      return t('auth.providers.error.providerError');
    case 'invalid_state':
      return t('auth.providers.error.invalidState');
    case 'id_token_rejected':
      return t('auth.providers.error.idTokenRejected');
    case 'email_not_verified':
      return t('auth.providers.error.emailNotVerified');
    case 'account_disabled':
      return t('auth.providers.error.accountDisabled');
    case 'identity_already_linked':
      return t('auth.providers.error.alreadyLinked');
    case 'invalid_link_request':
      return t('auth.providers.error.linkRequestExpired');
    case 'invalid_link_ticket':
      return t('auth.providers.error.linkTicketExpired');
    case 'provider_not_found':
      return t('auth.providers.error.unknownProvider');
    case 'rate_limited':
      return t('auth.providers.error.rateLimited');
    default:
      return t('auth.providers.error.generic');
  }
}
