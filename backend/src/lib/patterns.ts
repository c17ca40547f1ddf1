/**
 * The string patterns of the request schemas, each with the words a person sees next to the
 * field when a value does not match (Ajv alone would say `must match pattern "^[0-9]{6}$"`).
 * Schemas take `pattern: PATTERNS.x.source`, so a pattern and its message cannot drift apart.
 */
export const PATTERNS = {
  notBlank: { source: '\\S', message: 'must not be blank' },
  email: {
    source: '^[^\\s@<>(),;:"\\\\\\[\\]]+@[^\\s@<>(),;:"\\\\\\[\\]]+$',
    message: 'must be an email address',
  },
  emailCode: { source: '^[0-9]{6}$', message: 'must be the 6 digits from the email' },
  itemId: {
    source: '^[A-Za-z0-9_-]{1,64}$',
    message: 'must be 1 to 64 letters, digits, "-" or "_"',
  },
  mediaType: { source: '^[^/\\s]+/[^/\\s]+', message: 'must be a media type such as image/png' },
  eventType: {
    source: '^[a-z_.]{1,64}$',
    message: 'must be an event type such as password.changed',
  },
} as const;

const messages = new Map<string, string>(
  Object.values(PATTERNS).map(({ source, message }) => [source, message]),
);

/** The message for a pattern of PATTERNS, or a plain one for any other. */
export function patternMessage(source: unknown): string {
  return messages.get(String(source)) ?? 'is not in the expected form';
}
