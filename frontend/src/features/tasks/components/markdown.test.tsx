import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Markdown, renderMarkdown } from './markdown';

describe('Markdown rendering', () => {
  it('renders headings, lists, emphasis, code and links', () => {
    const { container } = render(
      <Markdown source={'# Plan\n\n- **one**\n- `two`\n\n[docs](https://example.com/a)'} />,
    );
    expect(container.querySelector('h1')?.textContent).toBe('Plan');
    expect(container.querySelectorAll('li')).toHaveLength(2);
    expect(container.querySelector('strong')?.textContent).toBe('one');
    expect(container.querySelector('code')?.textContent).toBe('two');
    const link = container.querySelector('a');
    expect(link?.getAttribute('href')).toBe('https://example.com/a');
    expect(link?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link?.getAttribute('target')).toBe('_blank');
  });

  it('drops scripts, event handlers and javascript: links', () => {
    const source = [
      '<script>window.hacked = true</script>',
      '<img src="x" onerror="window.hacked = true">',
      '[click](javascript:alert(1))',
      '<a href="javascript:alert(2)">raw</a>',
      '<iframe src="https://example.com"></iframe>',
      '<p style="position:fixed" onclick="alert(3)">styled</p>',
    ].join('\n\n');
    expect(renderMarkdown(source)).not.toMatch(/<script/i);
    const { container } = render(<Markdown source={source} />);
    const html = container.innerHTML;
    expect(container.querySelector('script, iframe')).toBeNull();
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toMatch(/onerror|onclick/i);
    expect(html).not.toMatch(/style=/i);
    expect(container.querySelector('img')?.getAttribute('src')).toBe('x');
    expect(container.textContent).toContain('styled');
    expect((window as { hacked?: boolean }).hacked).toBeUndefined();
  });
});
