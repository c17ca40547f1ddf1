import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PageQuerySchema, pageOf } from '../../lib/pagination.js';
import { PATTERNS } from '../../lib/patterns.js';
import { problemResponses } from '../../lib/problem.js';
import type { AuditService } from './service.js';

const AuditEventSchema = Type.Object(
  {
    id: Type.String(),
    at: Type.String({ format: 'date-time' }),
    type: Type.String({ description: 'e.g. sign_in.failed, roles.changed, session.revoked' }),
    userId: Type.Union([Type.String(), Type.Null()]),
    userEmail: Type.Union([Type.String(), Type.Null()]),
    actorId: Type.Union([Type.String(), Type.Null()]),
    actorEmail: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    userAgent: Type.Union([Type.String(), Type.Null()]),
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'AuditEvent', title: 'AuditEvent' },
);

export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditService }> = async (
  app,
  { audit },
) => {
  app.addSchema(AuditEventSchema);
  app.addHook('onRequest', app.authenticate);
  app.addHook('onRequest', app.requireRole('admin'));

  app.get(
    '/api/admin/audit',
    {
      schema: {
        operationId: 'adminListAuditEvents',
        tags: ['admin'],
        summary: 'Security events, newest first (CloudTrail / Cognito user pool auth events)',
        security: [{ bearerAuth: [] }],
        querystring: Type.Object({
          ...PageQuerySchema.properties,
          type: Type.Optional(Type.String({ pattern: PATTERNS.eventType.source })),
          userId: Type.Optional(Type.String({ format: 'uuid' })),
          user: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 254,
              pattern: PATTERNS.notBlank.source,
              description: 'A user id, or the start of their email address (any case)',
            }),
          ),
        }),
        response: { 200: pageOf(Type.Ref('AuditEvent')), ...problemResponses(400, 401, 403, 503) },
      },
    },
    async (request) => audit.list(request.query),
  );
};
