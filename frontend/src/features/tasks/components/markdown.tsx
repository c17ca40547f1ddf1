import createDOMPurify from 'dompurify';
import { Marked } from 'marked';
import { useMemo } from 'react';

const marked = new Marked({ gfm: true, breaks: true, async: false });

let purifier: ReturnType<typeof createDOMPurify> | undefined;

/**
 * One DOMPurify of our own (its hooks do not reach any other user of the library): HTML elements
 * only, no `<style>`/forms, and every link opens as a new, unrelated page.
 */
function getPurifier() {
  if (purifier) return purifier;
  purifier = createDOMPurify(window);
  purifier.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      node.setAttribute('rel', 'noopener noreferrer');
      node.setAttribute('target', '_blank');
    }
  });
  return purifier;
}

/**
 * Markdown as written by people (task content, comments) to HTML that is safe to insert:
 * `marked` renders it, DOMPurify keeps only harmless elements and attributes, so `<script>`,
 * event handlers and `javascript:` links are gone.
 */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  return getPurifier().sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select'],
    FORBID_ATTR: ['style'],
  });
}

export function Markdown({ source, className }: { source: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  return (
    <div
      className={`markdown${className ? ` ${className}` : ''}`}
      // Sanitised by renderMarkdown above; the tests feed it scripts and javascript: links.
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised HTML
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
