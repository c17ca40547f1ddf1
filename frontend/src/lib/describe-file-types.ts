/**
 * What people call the media types the server accepts; OpenDocument's three share one name.
 * A value starting with "common.upload." is a message id (the name differs by language).
 */
const names: Record<string, string> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'application/pdf': 'PDF',
  'text/plain': 'common.upload.type.text',
  'text/csv': 'CSV',
  'text/markdown': 'Markdown',
  'application/zip': 'ZIP',
  'application/msword': 'Word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.ms-excel': 'Excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.ms-powerpoint': 'PowerPoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint',
  'application/vnd.oasis.opendocument.text': 'OpenDocument',
  'application/vnd.oasis.opendocument.spreadsheet': 'OpenDocument',
  'application/vnd.oasis.opendocument.presentation': 'OpenDocument',
  'application/x-hwp': 'common.upload.type.hwp',
  'application/vnd.hancom.hwp': 'common.upload.type.hwp',
  'application/haansofthwp': 'common.upload.type.hwp',
  'application/hwp+zip': 'common.upload.type.hwpx',
  'application/vnd.hancom.hwpx': 'common.upload.type.hwpx',
};

/**
 * ["image/png", "image/jpeg", "application/msword", …] → "PNG, JPEG, or Word" ("PNG, JPEG 또는
 * Word"): each name once, in the server's order, joined by the language's own list format; a
 * type without a common name is shown as it is.
 */
export function describeFileTypes(
  mediaTypes: readonly string[],
  list: (values: readonly string[]) => string,
  t: (id: string) => string = (id) => id,
): string {
  const labels = [
    ...new Set(
      mediaTypes.map((type) => {
        const name = names[type] ?? type;
        return name.startsWith('common.upload.') ? t(name) : name;
      }),
    ),
  ];
  return list(labels);
}

/**
 * Browsers leave `File.type` empty for kinds the system does not know (often .hwp, .hwpx and
 * .md); the extension then names the type to declare. The server checks the bytes either way.
 */
const BY_EXTENSION: Record<string, string> = {
  hwp: 'application/x-hwp',
  hwpx: 'application/hwp+zip',
  md: 'text/markdown',
};

export function declaredType(file: { name: string; type: string }): string {
  if (file.type) return file.type;
  const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  return (extension && BY_EXTENSION[extension]) || 'application/octet-stream';
}
