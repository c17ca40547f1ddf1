import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/client.js';
import { escapeHtml } from '../mail/templates/layout.js';
import type { Category } from './preferences.js';
import { applyUnsubscribe, describeUnsubscribe, UnsubscribeLinkError } from './unsubscribe.js';

const NAMES: Record<Category, { en: string; ko: string }> = {
  assigned: { en: 'assigned to me', ko: '나에게 배정' },
  mentioned: { en: 'mentions', ko: '멘션' },
  comment: { en: 'comments on my tasks', ko: '내 업무의 댓글' },
  status: { en: 'status changes', ko: '상태 변경' },
  due_soon: { en: 'due soon', ko: '마감 임박' },
  overdue: { en: 'overdue', ko: '마감 지남' },
};

/** A small bilingual page: the link is opened from an email, without signing in. */
function page(title: { en: string; ko: string }, body: string): string {
  return `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex"><title>${escapeHtml(title.ko)} / ${escapeHtml(title.en)}</title></head>
<body style="font-family:sans-serif;max-width:520px;margin:40px auto;padding:0 16px">
<h1 style="font-size:20px">${escapeHtml(title.ko)}<br>${escapeHtml(title.en)}</h1>
${body}
</body></html>
`;
}

const names = (categories: Category[]) => ({
  en: categories.map((category) => NAMES[category].en).join(', '),
  ko: categories.map((category) => NAMES[category].ko).join(', '),
});

const Query = Type.Object({ token: Type.String({ minLength: 10, maxLength: 500 }) });
const Html = Type.String({ description: 'An HTML page' });

/**
 * One-click unsubscribe (RFC 8058), no sign-in: GET shows what the link would turn off and changes
 * nothing (mail scanners prefetch links); POST (the mail client's one-click request, or the page's
 * button) turns email off for the link's categories of the link's user, once.
 */
export const unsubscribeRoutes: FastifyPluginAsyncTypebox<{ db: Database; key: Buffer }> = async (
  app,
  { db, key },
) => {
  // RFC 8058's POST body is `List-Unsubscribe=One-Click`; nothing in it is needed.
  for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data']) {
    app.addContentTypeParser(
      type,
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, _body, done) => done(null, {}),
    );
  }

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof UnsubscribeLinkError) {
      const used = error.code === 'unsubscribe_link_used';
      return reply
        .code(error.statusCode)
        .type('text/html; charset=utf-8')
        .send(
          page(
            used
              ? { ko: '이미 사용한 링크입니다', en: 'This link was already used' }
              : { ko: '유효하지 않은 링크입니다', en: 'This link is not valid' },
            `<p>${escapeHtml('계정의 알림 설정에서 변경하세요.')}<br>${escapeHtml(
              'Change your notification settings in your account.',
            )}</p>`,
          ),
        );
    }
    throw error;
  });

  app.get(
    '/api/notifications/unsubscribe',
    {
      schema: {
        operationId: 'describeUnsubscribe',
        tags: ['notifications'],
        summary: 'What an unsubscribe link turns off (changes nothing)',
        querystring: Query,
        produces: ['text/html'],
        // 400 has no schema: a forged or damaged link gets an HTML page, a malformed query the
        // usual problem+json (a string schema would serialize the problem as "[object Object]").
        response: { 200: Html, 410: Html },
      },
    },
    async (request, reply) => {
      const { categories, used } = await describeUnsubscribe(db, key, request.query.token);
      if (used) throw new UnsubscribeLinkError('unsubscribe_link_used', 'used');
      const what = names(categories);
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          page(
            { ko: '이메일 알림 수신 거부', en: 'Unsubscribe from email notifications' },
            `<p>${escapeHtml(`이메일 알림을 끕니다: ${what.ko}`)}<br>${escapeHtml(
              `This turns off email for: ${what.en}`,
            )}</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">수신 거부 / Unsubscribe</button></form>`,
          ),
        );
    },
  );

  app.post(
    '/api/notifications/unsubscribe',
    {
      schema: {
        operationId: 'unsubscribe',
        tags: ['notifications'],
        summary: 'One-click unsubscribe (RFC 8058): turns this email category off, once',
        querystring: Query,
        produces: ['text/html'],
        // 400 has no schema: a forged or damaged link gets an HTML page, a malformed query the
        // usual problem+json (a string schema would serialize the problem as "[object Object]").
        response: { 200: Html, 410: Html },
      },
    },
    async (request, reply) => {
      const { categories } = await applyUnsubscribe(db, key, request.query.token);
      const what = names(categories);
      return reply
        .type('text/html; charset=utf-8')
        .send(
          page(
            { ko: '수신 거부되었습니다', en: 'You are unsubscribed' },
            `<p>${escapeHtml(`더 이상 이메일을 보내지 않습니다: ${what.ko}`)}<br>${escapeHtml(
              `No more email for: ${what.en}`,
            )}</p>`,
          ),
        );
    },
  );
};
