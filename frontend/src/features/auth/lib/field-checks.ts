/** Comfort checks before a round trip; the server decides (password rules: components). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(email: string): string | undefined {
  if (!email.trim()) return 'Enter your email address.';
  if (!EMAIL.test(email.trim())) return 'Enter an email address like name@example.com.';
  return undefined;
}

export function checkCode(code: string): string | undefined {
  if (!/^\d{6}$/.test(code.trim())) return 'Enter the 6-digit code from the email.';
  return undefined;
}
