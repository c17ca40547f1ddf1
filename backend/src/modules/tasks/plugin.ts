import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { Role } from '../../generated/prisma/enums.js';
import { type FieldError, ValidationError } from '../../lib/errors.js';
import { sendProblem, toProblem } from '../../plugins/error-handler.js';
import type { createOutbox } from '../mail/outbox.js';
import { attachmentsRoutes } from './attachments-routes.js';
import { createAttachmentsService } from './attachments-service.js';
import { createBoardViewService } from './board-view-service.js';
import { boardsRoutes } from './boards-routes.js';
import { createBoardsService } from './boards-service.js';
import { checklistRoutes } from './checklist-routes.js';
import { createChecklistService } from './checklist-service.js';
import { columnsRoutes } from './columns-routes.js';
import { commentsRoutes } from './comments-routes.js';
import { createCommentsService } from './comments-service.js';
import { StaleVersionError } from './errors.js';
import { invitationsRoutes } from './invitations-routes.js';
import { createInvitationsService } from './invitations-service.js';
import type { LiveHub } from './live/hub.js';
import { liveRoutes } from './live/routes.js';
import { createLiveStreams } from './live/streams.js';
import { membersRoutes } from './members-routes.js';
import { createMembersService } from './members-service.js';
import { TASK_SCHEMAS } from './schemas.js';
import { searchRoutes } from './search-routes.js';
import { createSearchService } from './search-service.js';
import { tasksRoutes } from './tasks-routes.js';
import { createTasksService } from './tasks-service.js';
import { transferRoutes } from './transfer-routes.js';
import { createTransferService } from './transfer-service.js';

/** Every string of a JSON value that holds a NUL character, as JSON pointers under `base`. */
function nulFields(value: unknown, base: string, found: FieldError[] = []): FieldError[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000'))
      found.push({ field: base, message: 'must not contain NUL characters' });
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) nulFields(item, `${base}/${index}`, found);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) nulFields(item, `${base}/${key}`, found);
  }
  return found;
}

export interface TasksModuleOptions {
  config: Pick<
    Config,
    | 'TASKS_BOARD_CREATORS'
    | 'TASKS_RANK_REBALANCE_LENGTH'
    | 'TASKS_INVITATION_TTL_HOURS'
    | 'TASKS_EVENTS_REPLAY_LIMIT'
    | 'TASKS_EVENTS_HEARTBEAT_SECONDS'
  >;
  db: Database;
  outbox: ReturnType<typeof createOutbox>;
  /** The process's live fan-out, which the event streams subscribe to. */
  liveHub: LiveHub;
}

/** Homeport Tasks: boards, members, columns, labels, tasks, checklists and activity. */
export const tasksModule: FastifyPluginAsyncTypebox<TasksModuleOptions> = async (
  app,
  { config, db, outbox, liveHub },
) => {
  for (const schema of TASK_SCHEMAS) app.addSchema(schema);

  // Postgres text cannot hold NUL: refuse it as a field error before anything is written.
  app.addHook('preValidation', async (request) => {
    const found = [
      ...nulFields(request.body, '/body'),
      ...nulFields(request.query, '/querystring'),
    ];
    if (found.length > 0) throw new ValidationError(found);
  });

  // A stale If-Match carries the current task and the changed fields beside the usual problem.
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status }, 'request rejected');
    if (!(error instanceof StaleVersionError)) return sendProblem(request, reply, problem);
    if (problem.headers) reply.headers(problem.headers);
    return reply
      .code(412)
      .type('application/problem+json')
      .send({
        type: `urn:homeport:problem:${problem.code}`,
        title: 'Precondition Failed',
        status: 412,
        detail: problem.detail,
        code: problem.code,
        requestId: request.id,
        instance: request.url.split('?')[0],
        current: error.current,
        changedFields: error.changedFields,
      });
  });

  const rebalanceLength = config.TASKS_RANK_REBALANCE_LENGTH;
  const boardCreators = config.TASKS_BOARD_CREATORS.split(',') as Role[];
  const tasks = createTasksService({ db, rebalanceLength });

  const boards = createBoardsService({ db, boardCreators, rebalanceLength });

  await app.register(boardsRoutes, { boards, boardView: createBoardViewService({ db }) });
  await app.register(columnsRoutes, { boards });
  await app.register(membersRoutes, { members: createMembersService({ db }) });
  await app.register(tasksRoutes, { tasks });
  await app.register(searchRoutes, { search: createSearchService({ db }) });
  await app.register(commentsRoutes, { comments: createCommentsService({ db, tasks }) });
  await app.register(attachmentsRoutes, { attachments: createAttachmentsService({ db, tasks }) });
  await app.register(transferRoutes, { transfer: createTransferService({ db, boardCreators }) });
  await app.register(invitationsRoutes, {
    invitations: createInvitationsService({
      db,
      outbox,
      ttlHours: config.TASKS_INVITATION_TTL_HOURS,
    }),
  });
  await app.register(checklistRoutes, {
    checklist: createChecklistService({ db, tasks, rebalanceLength }),
  });

  await app.register(liveRoutes, {
    streams: createLiveStreams({
      db,
      hub: liveHub,
      replayLimit: config.TASKS_EVENTS_REPLAY_LIMIT,
      heartbeatMs: config.TASKS_EVENTS_HEARTBEAT_SECONDS * 1000,
    }),
  });
};
