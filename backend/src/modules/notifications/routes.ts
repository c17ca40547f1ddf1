import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PageQuerySchema, pageOf } from '../../lib/pagination.js';
import { problemResponses } from '../../lib/problem.js';
import type { Actor } from '../tasks/access.js';
import { actorOf } from '../tasks/request.js';
import { PreferencesSchema } from './preferences.js';
import type { ReminderSettingsService } from './reminders.js';
import type { NotificationsService } from './service.js';

const bearer = [{ bearerAuth: [] }];
const Uuid = () => Type.String({ format: 'uuid' });
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const NotificationSchema = Type.Object(
  {
    id: Uuid(),
    category: Type.String({
      description: 'assigned, mentioned, comment, status, due_soon, overdue',
    }),
    type: Type.String({ description: 'The activity type, e.g. comment_added' }),
    boardId: Uuid(),
    boardKey: Type.String(),
    taskId: Nullable(Uuid()),
    taskNumber: Nullable(Type.Integer()),
    taskTitle: Type.String(),
    actorId: Nullable(Uuid()),
    actorName: Nullable(Type.String()),
    link: Nullable(Type.String({ description: 'App path of the task, e.g. /boards/HP/tasks/42' })),
    read: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Notification', title: 'Notification' },
);
const WatchSchema = Type.Object(
  { watching: Type.Boolean() },
  { $id: 'WatchState', title: 'WatchState' },
);
const WatchRef = Type.Ref('WatchState');
const ReminderSettingsSchema = Type.Object(
  {
    dueSoonHours: Type.Integer({
      minimum: 1,
      maximum: 336,
      description: 'Hours before the end of the due day at which a task is due soon',
    }),
  },
  { $id: 'BoardReminderSettings', title: 'BoardReminderSettings', additionalProperties: false },
);
const ReminderSettingsRef = Type.Ref('BoardReminderSettings');
const PreferencesRef = Type.Ref('NotificationPreferences');

/** My notifications and preferences, and watching tasks and boards (all signed in). */
export const notificationsRoutes: FastifyPluginAsyncTypebox<{
  notifications: NotificationsService;
  reminders: ReminderSettingsService;
}> = async (app, { notifications, reminders }) => {
  app.addSchema(NotificationSchema);
  app.addSchema(WatchSchema);
  app.addSchema(PreferencesSchema);
  app.addSchema(ReminderSettingsSchema);
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/api/me/notification-preferences',
    {
      schema: {
        operationId: 'getNotificationPreferences',
        tags: ['notifications'],
        summary: 'My notification preferences (defaults where I saved nothing)',
        security: bearer,
        response: { 200: PreferencesRef, ...problemResponses(401, 503) },
      },
    },
    async (request) => notifications.preferences(request.user.id),
  );

  app.put(
    '/api/me/notification-preferences',
    {
      schema: {
        operationId: 'putNotificationPreferences',
        tags: ['notifications'],
        summary: 'Replace my notification preferences and time zone',
        security: bearer,
        body: PreferencesSchema,
        response: { 200: PreferencesRef, ...problemResponses(400, 401, 503) },
      },
    },
    async (request) => notifications.savePreferences(request.user.id, request.body),
  );

  app.get(
    '/api/me/notifications',
    {
      schema: {
        operationId: 'listNotifications',
        tags: ['notifications'],
        summary: 'My in-app notifications, newest first, a page at a time',
        security: bearer,
        querystring: Type.Object({
          ...PageQuerySchema.properties,
          unread: Type.Optional(Type.Boolean({ description: 'Only unread ones' })),
        }),
        response: { 200: pageOf(Type.Ref('Notification')), ...problemResponses(400, 401, 503) },
      },
    },
    async (request) => notifications.list(request.user.id, request.query),
  );

  app.get(
    '/api/me/notifications/unread-count',
    {
      schema: {
        operationId: 'countUnreadNotifications',
        tags: ['notifications'],
        summary: 'How many of my notifications are unread',
        security: bearer,
        response: {
          200: Type.Object({ unread: Type.Integer({ minimum: 0 }) }),
          ...problemResponses(401, 503),
        },
      },
    },
    async (request) => notifications.unreadCount(request.user.id),
  );

  app.post(
    '/api/me/notifications/:notificationId/read',
    {
      schema: {
        operationId: 'markNotificationRead',
        tags: ['notifications'],
        summary: 'Mark one of my notifications read',
        security: bearer,
        params: Type.Object({ notificationId: Uuid() }),
        response: { 204: Type.Null(), ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      await notifications.markRead(request.user.id, request.params.notificationId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/me/notifications/read-all',
    {
      schema: {
        operationId: 'markAllNotificationsRead',
        tags: ['notifications'],
        summary: 'Mark all my notifications read',
        security: bearer,
        response: {
          200: Type.Object({ marked: Type.Integer({ minimum: 0 }) }),
          ...problemResponses(401, 503),
        },
      },
    },
    async (request) => notifications.markAllRead(request.user.id),
  );

  type Watching = Promise<{ watching: boolean }>;
  /** `GET`/`PUT`/`DELETE /api/<kind>s/:<kind>Id/watch`: whether I watch it, watch it, stop. */
  const watchRoutes = (
    kind: 'task' | 'board',
    hears: string,
    read: (actor: Actor, id: string) => Watching,
    write: (actor: Actor, id: string, watching: boolean) => Watching,
  ) => {
    const Kind = kind === 'task' ? 'Task' : 'Board';
    const param = `${kind}Id`;
    const path = `/api/${kind}s/:${param}/watch`;
    const schema = (operationId: string, summary: string) => ({
      operationId,
      tags: ['notifications'],
      summary,
      security: bearer,
      params: Type.Object({ [param]: Uuid() }),
      response: { 200: WatchRef, ...problemResponses(400, 401, 404, 503) },
    });
    const idOf = (request: { params: Record<string, string> }) => String(request.params[param]);
    app.get(
      path,
      { schema: schema(`get${Kind}Watch`, `Whether I watch this ${kind}`) },
      async (request) => read(actorOf(request), idOf(request)),
    );
    app.put(
      path,
      { schema: schema(`watch${Kind}`, `Watch a ${kind}: hear about ${hears}`) },
      async (request) => write(actorOf(request), idOf(request), true),
    );
    app.delete(
      path,
      { schema: schema(`unwatch${Kind}`, `Stop watching a ${kind}`) },
      async (request) => write(actorOf(request), idOf(request), false),
    );
  };
  watchRoutes(
    'task',
    'its changes and comments',
    (actor, id) => notifications.taskWatch(actor, id),
    (actor, id, watching) => notifications.setTaskWatch(actor, id, watching),
  );
  watchRoutes(
    'board',
    'every task on it',
    (actor, id) => notifications.boardWatch(actor, id),
    (actor, id, watching) => notifications.setBoardWatch(actor, id, watching),
  );

  const BoardParams = Type.Object({ boardId: Uuid() });
  app.get(
    '/api/boards/:boardId/reminder-settings',
    {
      schema: {
        operationId: 'getBoardReminderSettings',
        tags: ['notifications'],
        summary: "The board's due reminder settings",
        security: bearer,
        params: BoardParams,
        response: { 200: ReminderSettingsRef, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => reminders.get(actorOf(request), request.params.boardId),
  );
  app.put(
    '/api/boards/:boardId/reminder-settings',
    {
      schema: {
        operationId: 'setBoardReminderSettings',
        tags: ['notifications'],
        summary: "Change the board's due reminder settings (supervisors)",
        description: 'Waiting "due soon" reminders of the board move to the new time.',
        security: bearer,
        params: BoardParams,
        body: ReminderSettingsSchema,
        response: { 200: ReminderSettingsRef, ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => reminders.set(actorOf(request), request.params.boardId, request.body),
  );
};
