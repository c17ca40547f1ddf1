import { hostname } from 'node:os';
import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { loadConfig } from './config.js';
import { createDatabase } from './db/client.js';
import { createBoss } from './jobs/boss.js';
import { recordHeartbeat, tickOf } from './jobs/heartbeat.js';
import { registerJobs, startWorkerLoops } from './jobs/worker-jobs.js';
import { createWorkerMetrics } from './jobs/worker-metrics.js';
import { loggerOptions, routeConsoleTo } from './lib/logger.js';
import { runMain } from './lib/run-main.js';
import { createStorage } from './lib/storage.js';
import { startMetricsServer } from './plugins/metrics.js';

/** The EventBridge + async Lambda equivalent: pg-boss queues and cron schedules. */
async function main() {
  const config = loadConfig();
  const log = pino(loggerOptions(config.LOG_LEVEL)).child({ process: 'worker' });
  routeConsoleTo(log);
  const workerId = `${hostname()}:${process.pid}`;
  const db = createDatabase({ url: config.DATABASE_URL, poolSize: 4 });
  const boss = createBoss({ connectionString: config.DATABASE_URL });
  boss.on('error', (err) => log.error({ err }, 'pg-boss error'));

  const metrics = createWorkerMetrics(db);
  const metricsServer = await startMetricsServer(
    metrics.registry,
    config.HOST,
    config.WORKER_METRICS_PORT,
  );

  await boss.start();
  await registerJobs({
    boss,
    db,
    workerId,
    storage: createStorage(config),
    config,
    log,
    mailRetentionDays: config.MAIL_RETENTION_DAYS,
    metrics,
  });
  const stopLoops = startWorkerLoops({ db, config, log, metrics });
  // Beat once at start so readiness turns green without waiting for the first tick.
  await recordHeartbeat(db, workerId, tickOf(new Date()));
  log.info({ workerId }, 'worker started');

  closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'worker shutting down after an error');
    else log.info({ signal }, 'worker shutting down');
    await stopLoops();
    await boss.stop({ graceful: true, wait: true, timeout: config.SHUTDOWN_TIMEOUT_MS - 1000 });
    await db.$disconnect();
    await new Promise((resolve) => metricsServer.close(resolve));
  });
}

runMain(main);
