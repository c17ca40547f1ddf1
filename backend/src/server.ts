import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { routeConsoleTo } from './lib/logger.js';
import { startMetricsServer } from './plugins/metrics.js';

/** Reads config, listens, and on SIGTERM/SIGINT stops accepting, finishes in-flight requests and exits. */
async function main() {
  const config = loadConfig();
  const app = await buildApp(config);
  routeConsoleTo(app.log);
  // Once shutdown starts, responses still in flight close their keep-alive connection, so the
  // server can finish instead of waiting for clients to hang up.
  let shuttingDown = false;
  app.addHook('onSend', async (_request, reply) => {
    if (shuttingDown) reply.header('connection', 'close');
  });
  await app.listen({ host: config.HOST, port: config.PORT });
  const metricsServer = await startMetricsServer(app.metrics, config.HOST, config.METRICS_PORT);

  closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS }, async ({ signal, err }) => {
    shuttingDown = true;
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    metricsServer.close();
    await app.close();
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  console.error(error);
  process.exit(1);
});
