import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { pageOf } from '../../lib/pagination.js';
import { problemResponses } from '../../lib/problem.js';
import {
  SuppressionListQuerySchema,
  SuppressionParamsSchema,
  SuppressionSchema,
} from './schemas.js';
import type { SuppressionsService } from './suppressions-service.js';

const SuppressionRef = Type.Ref('MailSuppression');
const bearer = [{ bearerAuth: [] }];

/** Admin view of the suppression list (the SES account-level suppression list equivalent). */
export const mailAdminRoutes: FastifyPluginAsyncTypebox<{
  suppressions: SuppressionsService;
}> = async (app, { suppressions }) => {
  app.addSchema(SuppressionSchema);
  app.addHook('onRequest', app.authenticate);
  app.addHook('onRequest', app.requireRole('admin'));

  app.get(
    '/api/admin/mail/suppressions',
    {
      schema: {
        operationId: 'listMailSuppressions',
        tags: ['mail', 'admin'],
        summary: 'List suppressed addresses, ordered by address, a page at a time',
        security: bearer,
        querystring: SuppressionListQuerySchema,
        response: { 200: pageOf(SuppressionRef), ...problemResponses(400, 401, 403, 503) },
      },
    },
    async (request) => suppressions.list(request.query),
  );

  app.delete(
    '/api/admin/mail/suppressions/:email',
    {
      schema: {
        operationId: 'deleteMailSuppression',
        tags: ['mail', 'admin'],
        summary: 'Take an address off the suppression list, so mail reaches it again',
        security: bearer,
        params: SuppressionParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      await suppressions.remove(request.params.email);
      return reply.code(204).send(null);
    },
  );
};
