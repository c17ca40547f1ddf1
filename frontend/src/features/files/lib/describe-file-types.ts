/** What people call the media types the server accepts; OpenDocument's three share one name. */
const names: Record<string, string> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'application/pdf': 'PDF',
  'text/plain': 'plain text',
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
};

/**
 * ["image/png", "image/jpeg", "application/msword", …] → "PNG, JPEG or Word": each name once,
 * in the server's order; a type without a common name is shown as it is.
 */
export function describeFileTypes(mediaTypes: readonly string[]): string {
  const labels = [...new Set(mediaTypes.map((type) => names[type] ?? type))];
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}`;
}
