import { setTimeout as sleep } from 'node:timers/promises';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { routeConsoleTo } from './lib/logger.js';
import { runMain } from './lib/run-main.js';
import { startMetricsServer } from './plugins/metrics.js';

/**
 * Reads config, listens, and on SIGTERM/SIGINT stops accepting, finishes in-flight requests,
 * keeps refusing new connections for SHUTDOWN_DRAIN_MS and exits.
 */
async function main() {
  const config = loadConfig();
  const app = await buildApp(config);
  routeConsoleTo(app.log);
  // Once shutdown starts, every response closes its keep-alive connection, so the server can
  // finish instead of waiting for clients to hang up, and nginx opens its next connection to
  // the listener, which refuses it: a refusal nginx retries at once on another replica.
  let shuttingDown = false;
  app.addHook('onSend', async (_request, reply) => {
    if (shuttingDown) reply.header('connection', 'close');
  });
  await app.listen({ host: config.HOST, port: config.PORT });
  const metricsServer = await startMetricsServer(app.metrics, config.HOST, config.METRICS_PORT);

  // The drain counts within the grace period: closeWithGrace exits hard once `delay` is over.
  const delay = config.SHUTDOWN_TIMEOUT_MS + config.SHUTDOWN_DRAIN_MS;
  closeWithGrace({ delay }, async ({ signal, err }) => {
    shuttingDown = true;
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal, drainMs: config.SHUTDOWN_DRAIN_MS }, 'shutting down');
    metricsServer.close();
    // app.close() stops the listener at once, so the drain starts with it. While this process
    // lives, its address stays in Docker's DNS and every connection to it is refused at once;
    // nginx marks the replica down on the first refusal, before the address disappears. Exiting
    // at once would leave nginx a silent address until it resolves again (docs/deployment.md).
    await Promise.all([app.close(), sleep(err ? 0 : config.SHUTDOWN_DRAIN_MS)]);
  });
}

runMain(main);
