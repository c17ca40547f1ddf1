/**
 * Preloaded into the benched backend only (`node --expose-gc --import tsx --import <this>`, with
 * an IPC channel): the message `gc` runs a full collection and answers `gc-done`, so the heap the
 * backend then reports on its metrics port is live data, not garbage waiting to be collected.
 * (A signal would not do: the backend's graceful shutdown listens to SIGUSR2.)
 */
const collect = (globalThis as { gc?: () => void }).gc;
if (collect && process.send) {
  process.on('message', (message) => {
    if (message !== 'gc') return;
    collect();
    process.send?.('gc-done');
  });
  // The channel must not keep the backend alive when it is asked to stop.
  process.channel?.unref();
}
