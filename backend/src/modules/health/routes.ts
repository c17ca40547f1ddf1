import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PROBLEM_CONTENT_TYPE } from '../../lib/problem.js';
import { HealthSchema, NotReadySchema, ReadySchema } from './schemas.js';
import type { createReadinessService } from './service.js';

interface HealthRoutesOptions {
  readiness: ReturnType<typeof createReadinessService>;
}

export const healthRoutes: FastifyPluginAsyncTypebox<HealthRoutesOptions> = async (
  app,
  { readiness },
) => {
  app.get(
    '/api/health',
    {
      config: { rateLimit: false },
      schema: {
        operationId: 'getHealth',
        tags: ['health'],
        summary: 'Liveness: the process answers. Does no I/O.',
        response: { 200: HealthSchema },
      },
    },
    async () => ({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) }),
  );

  app.get(
    '/api/ready',
    {
      config: { rateLimit: false },
      schema: {
        operationId: 'getReadiness',
        tags: ['health'],
        summary: 'Readiness: Postgres, S3 and SMTP answer and the worker beat recently.',
        response: { 200: ReadySchema, 503: NotReadySchema },
      },
    },
    async (request, reply) => {
      const { ready, checks, failing } = await readiness.check();
      if (ready) return { status: 'ready' as const, checks };
      reply.code(503).type(PROBLEM_CONTENT_TYPE).header('retry-after', '5');
      return {
        type: 'urn:homeport:problem:not_ready',
        title: 'Service Unavailable',
        status: 503,
        detail: `Not ready: ${failing.join(', ')} failing.`,
        code: 'not_ready',
        requestId: request.id,
        instance: '/api/ready',
        checks,
      };
    },
  );
};
