/**
 * Checks that an object's first bytes match the content type the client declared, so a renamed
 * executable cannot pass as a PDF. Only signatures are compared; nothing is parsed.
 */
export const SNIFF_BYTES = 512;

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, index) => bytes[offset + index] === byte);
}

function ascii(text: string): number[] {
  return [...text].map((character) => character.charCodeAt(0));
}

/** Signatures of binary formats; a "text" file that starts with one of them is not text. */
const BINARY_SIGNATURES: readonly (readonly number[])[] = [
  [0x89, 0x50, 0x4e, 0x47],
  [0xff, 0xd8, 0xff],
  ascii('GIF8'),
  ascii('%PDF-'),
  ZIP,
  OLE,
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  ascii('MZ'), // Windows executables
];

/**
 * A ZIP package whose first entry is an uncompressed `mimetype` file holding `mediaType`, as
 * OpenDocument and HWPX (OWPML) write it: the local file header's name length sits at offset 26,
 * the extra field's at 28, the name at 30 and the stored content right after them.
 */
function isZipPackageOf(bytes: Uint8Array, mediaType: string): boolean {
  if (!startsWith(bytes, ZIP) || bytes.length < 30) return false;
  const nameLength = (bytes[26] ?? 0) | ((bytes[27] ?? 0) << 8);
  const extraLength = (bytes[28] ?? 0) | ((bytes[29] ?? 0) << 8);
  const stored = ((bytes[8] ?? 0) | ((bytes[9] ?? 0) << 8)) === 0;
  return (
    stored &&
    startsWith(bytes, ascii('mimetype'), 30) &&
    nameLength === 'mimetype'.length &&
    startsWith(bytes, ascii(mediaType), 30 + nameLength + extraLength)
  );
}

const isHwpx = (bytes: Uint8Array) => isZipPackageOf(bytes, 'application/hwp+zip');

function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  if (BINARY_SIGNATURES.some((signature) => startsWith(bytes, signature))) return false;
  try {
    // Streaming mode: a prefix that ends inside a multi-byte character is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

const MATCHERS: Readonly<Record<string, (bytes: Uint8Array) => boolean>> = {
  'image/png': (bytes) => startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (bytes) => startsWith(bytes, [0xff, 0xd8, 0xff]),
  'image/gif': (bytes) => startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a')),
  'image/webp': (bytes) => startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8),
  'application/pdf': (bytes) => startsWith(bytes, ascii('%PDF-')),
  'application/zip': (bytes) => startsWith(bytes, ZIP) || startsWith(bytes, ZIP_EMPTY),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': (bytes) =>
    startsWith(bytes, ZIP),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': (bytes) =>
    startsWith(bytes, ZIP),
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': (bytes) =>
    startsWith(bytes, ZIP),
  'application/vnd.oasis.opendocument.text': (bytes) => startsWith(bytes, ZIP),
  'application/vnd.oasis.opendocument.spreadsheet': (bytes) => startsWith(bytes, ZIP),
  'application/vnd.oasis.opendocument.presentation': (bytes) => startsWith(bytes, ZIP),
  'application/msword': (bytes) => startsWith(bytes, OLE),
  'application/vnd.ms-excel': (bytes) => startsWith(bytes, OLE),
  'application/vnd.ms-powerpoint': (bytes) => startsWith(bytes, OLE),
  'application/x-hwp': (bytes) => startsWith(bytes, OLE),
  'application/vnd.hancom.hwp': (bytes) => startsWith(bytes, OLE),
  'application/haansofthwp': (bytes) => startsWith(bytes, OLE),
  'application/hwp+zip': isHwpx,
  'application/vnd.hancom.hwpx': isHwpx,
  'text/plain': isUtf8Text,
  'text/csv': isUtf8Text,
  'text/markdown': isUtf8Text,
};

/** True when `bytes` (the start of the object) look like `contentType`. Unknown types never match. */
export function bytesMatchType(contentType: string, bytes: Uint8Array): boolean {
  const matcher = MATCHERS[contentType];
  return matcher ? bytes.length > 0 && matcher(bytes) : false;
}
