import { t } from '../../../lib/i18n';

/** Comfort checks before a round trip; the server decides (password rules: components). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(email: string): string | undefined {
  if (!email.trim()) return t('auth.check.emailRequired');
  if (!EMAIL.test(email.trim())) return t('auth.check.emailInvalid');
  return undefined;
}

export function checkCode(code: string): string | undefined {
  if (!/^\d{6}$/.test(code.trim())) return t('auth.check.code');
  return undefined;
}
