/**
 * Lets the browser download `url`. A link click rather than `location.assign`, so the page stays
 * put even if the server answers inline; the presigned URL's Content-Disposition names the file.
 */
export function startDownload(url: string, filename: string) {
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}
