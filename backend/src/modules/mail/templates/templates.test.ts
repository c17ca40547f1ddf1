import { describe, expect, it } from 'vitest';
import { TEMPLATE_NAMES, TEMPLATES, type TemplateName } from './catalog.js';
import { escapeHtml, LOCALES, renderCopy } from './layout.js';
import { linkBuilder, MailTemplateError, renderTemplate } from './render.js';

const PUBLIC_URL = 'https://tasks.example.com';
const SAMPLE_DATA: Record<TemplateName, Record<string, unknown>> = {
  'signup-code': { code: '482913' },
  'password-reset-code': { code: '105577' },
  'password-changed': {},
  'password-reset': {},
  'account-deleted': {},
  'account-unlock': {
    token:
      '0b7c8a52-5f3e-4c1a-9d0e-1f2a3b4c5d6e.1764640000000.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ',
    minutes: 15,
  },
  'mfa-enabled': {},
  'mfa-disabled': { byAdmin: true },
  'mfa-recovery-codes': {},
  'mfa-recovery-code-used': { codesLeft: 3 },
  'identity-link-code': { code: '204816', provider: 'Google' },
  'identity-linked': { provider: 'Apple' },
  'identity-unlinked': { provider: 'Google' },
  'passkey-added': { name: 'MacBook Touch ID' },
  'passkey-removed': { name: 'YubiKey' },
  'board-invitation': {
    boardName: 'Homeport',
    inviter: 'lead@example.com',
    role: 'member',
    token: 'a'.repeat(43),
    hours: '168',
  },
  'notification-task': {
    boardKey: 'HP',
    boardName: 'Homeport',
    taskNumber: 42,
    taskTitle: 'Ship the release',
    events: [
      { type: 'task_updated', actor: 'Mina' },
      { type: 'comment_added', actor: 'Mina' },
    ],
    unsubscribeToken: `${'a'.repeat(40)}.${'b'.repeat(43)}`,
  },
  'notification-digest': {
    timing: 'daily',
    boards: [
      { boardKey: 'HP', boardName: 'Homeport', tasks: [{ number: 1, title: 'One', changes: 2 }] },
    ],
    unsubscribeToken: `${'a'.repeat(40)}.${'b'.repeat(43)}`,
  },
};

function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1] ?? '');
}

describe('email templates', () => {
  it.each(
    TEMPLATE_NAMES.flatMap((template) => LOCALES.map((locale) => [template, locale] as const)),
  )('%s renders in %s as HTML and text, linking only to PUBLIC_URL', (template, locale) => {
    const email = renderTemplate(PUBLIC_URL, {
      template,
      locale,
      to: 'someone@example.com',
      data: SAMPLE_DATA[template] as never,
    });
    expect(email.subject.length).toBeGreaterThan(5);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.html).toContain(`<html lang="${locale}">`);
    expect(email.text.length).toBeGreaterThan(40);
    const code = SAMPLE_DATA[template].code as string | undefined;
    if (code) {
      expect(email.html).toContain(code);
      expect(email.text).toContain(code);
    }
    const links = hrefs(email.html);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link.startsWith(`${PUBLIC_URL}/`)).toBe(true);
    for (const url of email.text.match(/https?:\/\/\S+/g) ?? []) {
      expect(url.startsWith(`${PUBLIC_URL}/`)).toBe(true);
    }
  });

  it('writes Korean copy for Korean readers and English for English ones', () => {
    const render = (locale: 'en' | 'ko') =>
      renderTemplate(PUBLIC_URL, {
        template: 'signup-code',
        locale,
        to: 'a@example.com',
        data: { code: '123456' },
      });
    expect(render('ko').subject).toMatch(/[가-힣]/);
    expect(render('ko').text).toMatch(/24시간/);
    expect(render('en').subject).not.toMatch(/[가-힣]/);
    expect(render('en').text).toContain('24 hours');
  });

  it('escapes everything it puts into HTML', () => {
    const hostile = `<script>alert("x")</script> & 'quoted'`;
    const email = renderCopy(
      {
        subject: `Hi\r\nBcc: victim@example.com`,
        heading: hostile,
        paragraphs: [hostile],
        code: hostile,
        action: { label: hostile, url: 'https://tasks.example.com/a?b="><img src=x>' },
        footer: hostile,
      },
      'en',
    );
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;',
    );
    expect(email.subject).toBe('Hi Bcc: victim@example.com');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');

    // The recipient goes into a link: URL-encoded, then HTML-escaped.
    const linked = renderTemplate(PUBLIC_URL, {
      template: 'signup-code',
      locale: 'en',
      to: "o'neil&co@example.com",
      data: { code: '123456' },
    });
    expect(hrefs(linked.html)).toEqual([`${PUBLIC_URL}/confirm?email=o%27neil%26co%40example.com`]);
  });

  it('builds links from PUBLIC_URL and refuses anything that would leave it', () => {
    const link = linkBuilder('http://localhost:8080');
    expect(link('/reset-password', { email: 'a b@example.com' })).toBe(
      'http://localhost:8080/reset-password?email=a+b%40example.com',
    );
    for (const path of ['//evil.example/x', 'https://evil.example/', 'relative']) {
      expect(() => link(path)).toThrow();
    }
  });

  it('checks template data against the template schema', () => {
    const attempts = [
      { template: 'signup-code', data: {} },
      { template: 'signup-code', data: { code: '<b>1</b>' } },
      { template: 'password-reset-code', data: { code: 123456 } },
      { template: 'account-deleted', data: { name: 'extra' } },
      { template: 'not-a-template', data: {} },
    ];
    for (const { template, data } of attempts) {
      expect(() =>
        renderTemplate(PUBLIC_URL, {
          template: template as TemplateName,
          locale: 'en',
          to: 'a@example.com',
          data: data as never,
        }),
      ).toThrow(MailTemplateError);
    }
    expect(Object.keys(TEMPLATES).sort()).toEqual([...TEMPLATE_NAMES].sort());
  });
});
