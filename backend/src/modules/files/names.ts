import { BadRequestError } from '../../lib/errors.js';

export const MAX_FILENAME_LENGTH = 200;

// Control characters, and bidirectional overrides that make "gnp.exe" display as "exe.png".
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The display name kept as metadata. It never reaches the key; it is made safe to show and to put
 * in Content-Disposition: last path segment only, no control or bidi characters, bounded length.
 */
export function sanitizeFilename(name: string): string {
  const lastSegment = name.normalize('NFC').split(/[/\\]/).pop() ?? '';
  let clean = lastSegment
    .replace(/\s+/g, ' ')
    .replace(UNSAFE_CHARACTERS, '')
    .trim()
    .replace(/^\.+/, '')
    .trim();
  if ([...clean].length > MAX_FILENAME_LENGTH) {
    const characters = [...clean];
    const dot = clean.lastIndexOf('.');
    const extension = dot > 0 ? [...clean.slice(dot)] : [];
    clean =
      extension.length > 0 && extension.length <= 16
        ? characters.slice(0, MAX_FILENAME_LENGTH - extension.length).join('') + extension.join('')
        : characters.slice(0, MAX_FILENAME_LENGTH).join('');
  }
  return clean || 'file';
}

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `users/<uid>/<purpose>/<uuid>.<ext>`, under `public/` for public purposes. */
export function objectKey(options: {
  userId: string;
  purpose: string;
  id: string;
  extension: string;
  public: boolean;
}): string {
  if (!USER_ID.test(options.userId)) {
    // User ids come from the session; anything else is a programming error, not user input.
    throw new BadRequestError('invalid_user_id', 'The user id cannot be used in a storage key.');
  }
  const key = `users/${options.userId}/${options.purpose}/${options.id}.${options.extension}`;
  return options.public ? `public/${key}` : key;
}

/**
 * Where a presigned form writes: `staging/users/<uid>/<purpose>/<uuid>.<ext>`. Never public and
 * never a recorded file's key: completion copies the checked bytes to the final `objectKey`,
 * which no form can write, so re-posting a form after completion changes nothing recorded.
 */
export const STAGING_PREFIX = 'staging/';

export function stagingKey(options: {
  userId: string;
  purpose: string;
  id: string;
  extension: string;
}): string {
  return `${STAGING_PREFIX}${objectKey({ ...options, public: false })}`;
}

const STAGING_KEY =
  /^staging\/users\/([A-Za-z0-9_-]{1,64})\/([a-z]+)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[a-z0-9]+$/;

/** The owner and upload id a staging key was made for, or undefined for any other key. */
export function parseStagingKey(key: string): { userId: string; id: string } | undefined {
  const match = STAGING_KEY.exec(key);
  return match?.[1] && match[3] ? { userId: match[1], id: match[3] } : undefined;
}

/** The prefixes every object of this user starts with: private, public and staging. */
export function userPrefixes(userId: string): string[] {
  return [`users/${userId}/`, `public/users/${userId}/`, `${STAGING_PREFIX}users/${userId}/`];
}

function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * `attachment; filename="<ascii fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 with
 * RFC 5987 encoding), so every browser saves the original, possibly non-ASCII, name.
 */
export function contentDisposition(filename: string, type: 'attachment' | 'inline'): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(filename)}`;
}
