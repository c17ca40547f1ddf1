/** The shared frame every email is drawn in: one HTML layout and one plain-text layout. */
export const LOCALES = ['en', 'ko'] as const;
export type Locale = (typeof LOCALES)[number];

export const PRODUCT_NAME = 'Homeport';

/** What a template says, in one locale; the layouts turn it into HTML and text. */
export interface EmailCopy {
  subject: string;
  heading: string;
  paragraphs: string[];
  /** A one-time code, shown large and easy to copy. */
  code?: string;
  action?: { label: string; url: string };
  /** Why the reader got this email; printed small under the body. */
  footer: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** Subjects go into a header: no line breaks may reach it. */
function singleLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').trim();
}

function renderHtml(copy: EmailCopy, locale: Locale): string {
  const paragraphs = copy.paragraphs
    .map((paragraph) => `<p style="margin:0 0 16px">${escapeHtml(paragraph)}</p>`)
    .join('\n');
  const code = copy.code
    ? `<p style="margin:0 0 16px;font-size:28px;font-weight:bold;letter-spacing:6px;font-family:monospace">${escapeHtml(copy.code)}</p>`
    : '';
  const action = copy.action
    ? `<p style="margin:0 0 16px"><a href="${escapeHtml(copy.action.url)}" style="display:inline-block;padding:10px 18px;background:#1f6feb;color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(copy.action.label)}</a></p>`
    : '';
  return `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(singleLine(copy.subject))}</title></head>
<body style="margin:0;padding:24px;background:#f6f8fa;font-family:-apple-system,'Segoe UI','Apple SD Gothic Neo','Malgun Gothic',sans-serif;color:#1f2328">
<div style="max-width:520px;margin:0 auto;background:#ffffff;border:1px solid #d0d7de;border-radius:8px;padding:24px">
<h1 style="margin:0 0 16px;font-size:20px">${escapeHtml(copy.heading)}</h1>
${paragraphs}
${code}
${action}
<p style="margin:24px 0 0;font-size:12px;color:#59636e">${escapeHtml(copy.footer)}</p>
</div>
</body>
</html>
`;
}

function renderText(copy: EmailCopy): string {
  const parts = [copy.heading, '', ...copy.paragraphs.flatMap((paragraph) => [paragraph, ''])];
  if (copy.code) parts.push(`    ${copy.code}`, '');
  if (copy.action) parts.push(`${copy.action.label}: ${copy.action.url}`, '');
  parts.push('--', copy.footer, '');
  return parts.join('\n');
}

export function renderCopy(copy: EmailCopy, locale: Locale): RenderedEmail {
  return {
    subject: singleLine(copy.subject),
    text: renderText(copy),
    html: renderHtml(copy, locale),
  };
}
