import type { FastifyRequest } from 'fastify';
import type { Actor } from './access.js';

/** The acting user and request id every service call records its changes under. */
export function actorOf(request: FastifyRequest): Actor {
  return { user: request.user, requestId: request.id };
}
