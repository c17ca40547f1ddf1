import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { closeDependencies, createDependencies, type Dependencies } from './dependencies.js';
import { loggerOptions } from './lib/logger.js';
import { schemaController } from './lib/validation.js';
import { auditRoutes } from './modules/audit/routes.js';
import { createAuditService } from './modules/audit/service.js';
import { createEventPublisher } from './modules/auth/events.js';
import { authRoutes } from './modules/auth/routes.js';
import { filesModule } from './modules/files/plugin.js';
import { healthRoutes } from './modules/health/routes.js';
import { createReadinessService } from './modules/health/service.js';
import { itemsRoutes } from './modules/items/routes.js';
import { createItemsService } from './modules/items/service.js';
import { mailAdminRoutes } from './modules/mail/admin-routes.js';
import { createMailEventsService } from './modules/mail/events-service.js';
import { createOutbox } from './modules/mail/outbox.js';
import { createSuppressionsService } from './modules/mail/suppressions-service.js';
import { mailWebhookRoutes } from './modules/mail/webhook-routes.js';
import { notificationsModule } from './modules/notifications/plugin.js';
import { createTaskAttachmentAccess } from './modules/tasks/attachments-service.js';
import { createLiveHub } from './modules/tasks/live/hub.js';
import { tasksModule } from './modules/tasks/plugin.js';
import { createAdminService } from './modules/users/admin-service.js';
import { createProfileService } from './modules/users/profile-service.js';
import { usersRoutes } from './modules/users/routes.js';
import { webhooksModule } from './modules/webhooks/plugin.js';
import authenticate from './plugins/authenticate.js';
import errorHandler, { frameworkErrorHandler } from './plugins/error-handler.js';
import metrics from './plugins/metrics.js';
import notFound from './plugins/not-found.js';
import openapi from './plugins/openapi.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const MAX_PARAM_LENGTH = 1000;

export interface BuildAppOptions {
  /** Real services built by the caller (tests); by default the app creates and closes its own. */
  dependencies?: Dependencies;
  /** Where logs go; defaults to stdout. Tests pass a stream to read them. */
  logStream?: NodeJS.WritableStream;
}

export async function buildApp(
  config: Config,
  options: BuildAppOptions = {},
): Promise<FastifyInstance> {
  const deps = options.dependencies ?? createDependencies(config);
  const app = Fastify({
    logger: {
      ...loggerOptions(config.LOG_LEVEL),
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // Trust X-Forwarded-* from this many proxies in front (nginx), never from further out.
    trustProxy: (_address: string, hop: number) => hop < config.TRUST_PROXY_HOPS,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    schemaController,
    // Path parameters longer than this are refused by the router (414 uri_too_long); shorter
    // ones reach their schema, which names the field and its own limit.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // The router's own 400/414 answers go through the one error model too.
    frameworkErrors: frameworkErrorHandler,
    // During shutdown a request that still arrives on an open keep-alive connection is answered
    // as usual (with `Connection: close`, server.ts) instead of a bare 503 that a proxy would
    // pass on; new connections are refused, which a proxy retries on another replica.
    return503OnClosing: false,
    // Plugins load keys and clients at start-up; on a starved machine (measured: a 2-core VM at
    // load 20) that outlasts avvio's 10 s default and the server would exit instead of starting.
    pluginTimeout: 60_000,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  if (!options.dependencies) app.addHook('onClose', async () => closeDependencies(deps));

  // External and app-wide plugins.
  await app.register(errorHandler, {
    // A signed-in request without Accept-Language gets its messages in the profile's language.
    userLocale: async (id) =>
      (await deps.db.user.findUnique({ where: { id }, select: { locale: true } }))?.locale,
  });
  await app.register(notFound);
  await app.register(metrics);
  await app.register(openapi, { publicUrl: config.PUBLIC_URL });
  await app.register(authenticate, { config, db: deps.db });

  // Routes.
  await app.register(healthRoutes, {
    readiness: createReadinessService({
      ...deps,
      timeoutMs: config.READY_TIMEOUT_MS,
      workerStaleAfterBeats: config.WORKER_STALE_AFTER_BEATS,
    }),
  });
  await app.register(authRoutes, {
    config,
    db: deps.db,
    outbox: createOutbox({ publicUrl: config.PUBLIC_URL, from: config.MAIL_FROM }),
    events: createEventPublisher({ connectionString: config.DATABASE_URL }),
  });
  await app.register(usersRoutes, {
    admin: createAdminService({ db: deps.db, revocations: app.revocations }),
    profiles: createProfileService(deps),
    adminEmail: config.ADMIN_EMAIL,
    db: deps.db,
  });
  await app.register(auditRoutes, { audit: createAuditService(deps) });
  await app.register(itemsRoutes, {
    items: createItemsService({ ...deps, currency: config.ITEMS_CURRENCY }),
  });
  await app.register(filesModule, {
    config,
    db: deps.db,
    storage: deps.storage,
    access: { task_attachment: createTaskAttachmentAccess({ db: deps.db }) },
  });
  await app.register(mailWebhookRoutes, {
    events: createMailEventsService({
      db: deps.db,
      subscribeUrlPattern: new RegExp(config.MAIL_SNS_CONFIRM_URL_PATTERN),
    }),
    secret: config.MAIL_WEBHOOK_SECRET,
  });
  await app.register(mailAdminRoutes, { suppressions: createSuppressionsService(deps) });
  // One feed reader per process for every live stream it holds; the streams end before the server.
  const liveHub = createLiveHub({
    db: deps.db,
    databaseUrl: config.DATABASE_URL,
    revocations: app.revocations,
    metrics: app.metrics,
    maxPerUser: config.TASKS_EVENTS_MAX_PER_USER,
    log: app.log,
  });
  liveHub.start();
  app.decorate('liveHub', liveHub);
  app.addHook('preClose', async () => liveHub.stop());
  await app.register(notificationsModule, { config, db: deps.db });
  await app.register(tasksModule, {
    config,
    db: deps.db,
    outbox: createOutbox({ publicUrl: config.PUBLIC_URL, from: config.MAIL_FROM }),
    liveHub,
  });
  await app.register(webhooksModule, { config, db: deps.db });

  return app;
}
