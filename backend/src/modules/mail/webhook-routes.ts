import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { problemResponses } from '../../lib/problem.js';
import { checkSharedSecret } from '../../lib/shared-secret.js';
import type { MailEventsService } from './events-service.js';
import { MailEventBodySchema, MailEventResultSchema } from './schemas.js';

export const MAIL_WEBHOOK_SECRET_HEADER = 'x-mail-webhook-secret';

/**
 * The secret comes in our header, or as the password of HTTP Basic auth: SNS cannot add headers,
 * but it sends the credentials of a subscription URL like https://sns:<secret>@host/api/mail/events.
 */
function presentedSecret(request: FastifyRequest): string | undefined {
  const header = request.headers[MAIL_WEBHOOK_SECRET_HEADER];
  if (typeof header === 'string') return header;
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? '');
  if (!basic?.[1]) return undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : undefined;
}

export const mailWebhookRoutes: FastifyPluginAsyncTypebox<{
  events: MailEventsService;
  secret: string | undefined;
}> = async (app, { events, secret }) => {
  // SNS posts JSON labelled text/plain; only this plugin's route reads text/plain as JSON.
  app.removeContentTypeParser('text/plain');
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (request, body, done) =>
    parseJson(request, body as string, done),
  );

  app.post(
    '/api/mail/events',
    {
      schema: {
        operationId: 'postMailEvent',
        tags: ['mail'],
        summary: 'Report a bounce or complaint (SES via SNS, or the simple JSON shape)',
        description: `Authenticated by the shared secret MAIL_WEBHOOK_SECRET, sent in the \`${MAIL_WEBHOOK_SECRET_HEADER}\` header or as the HTTP Basic password. A permanent bounce or a complaint puts the address on the suppression list; a repeated notification changes nothing. An SNS SubscriptionConfirmation is confirmed by fetching its SubscribeURL.`,
        body: MailEventBodySchema,
        response: {
          200: MailEventResultSchema,
          ...problemResponses(400, 401, 413, 415, 502, 503),
        },
      },
      onRequest: async (request) => {
        checkSharedSecret(presentedSecret(request), secret, {
          code: 'mail_webhook',
          variable: 'MAIL_WEBHOOK_SECRET',
        });
      },
    },
    async (request) => events.handle(request.body as Record<string, unknown>),
  );
};
