import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { sendProblem } from './error-handler.js';

/**
 * Unknown routes answer 404 and known paths with the wrong method answer 405 with `Allow`,
 * both as problem+json. Fastify itself answers 404 for both; a shadow router of the registered
 * routes tells the two apart.
 */
async function notFound(app: FastifyInstance) {
  const routes = FindMyWay();
  const noop = () => {};
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods.map((name) => name.toUpperCase() as HTTPMethod)) {
      if (!routes.hasRoute(method, route.url)) routes.on(method, route.url, noop);
    }
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = (['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).filter(
      (method) => routes.find(method, path) !== null,
    );
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(request, reply, {
        status: 405,
        code: 'method_not_allowed',
        detail: `${request.method} is not allowed here; use ${allowed.join(', ')}.`,
      });
    }
    return sendProblem(request, reply, {
      status: 404,
      code: 'route_not_found',
      detail: `No route matches ${request.method} ${path}.`,
    });
  });
}

export default fp(notFound, { name: 'not-found' });
