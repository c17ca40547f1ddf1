import pg from 'pg';

export interface WakeLoopOptions {
  /** What the loop is, for its log lines. */
  name: string;
  /** The NOTIFY channel whose commits wake the loop. */
  channel: string;
  /** The loop LISTENs on its own connection. */
  databaseUrl: string;
  /** One pass: handle everything that is due. Passes never overlap within one loop. */
  run(): Promise<void>;
  /** Polling catches work that falls due later and notifications missed while reconnecting. */
  pollIntervalMs?: number;
  reconnectDelayMs?: number;
  log: {
    info(object: object, message: string): void;
    error(object: object, message: string): void;
  };
}

export interface WakeLoop {
  /** Lets a running pass finish, so no work is left half done by a stopped process. */
  stop(): Promise<void>;
}

/**
 * Runs `run` whenever a transaction that notifies `channel` commits (LISTEN/NOTIFY, so work starts
 * within moments), every `pollIntervalMs`, and once at start and after each reconnect. A
 * notification that arrives during a pass queues exactly one more pass.
 */
export function startWakeLoop({
  name,
  channel,
  databaseUrl,
  run,
  pollIntervalMs = 5000,
  reconnectDelayMs = 5000,
  log,
}: WakeLoopOptions): WakeLoop {
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let listener: pg.Client | null = null;
  let reconnectTimer: NodeJS.Timeout | undefined;

  async function runAll(): Promise<void> {
    do {
      again = false;
      try {
        await run();
      } catch (error) {
        log.error({ err: error, loop: name }, `${name} pass failed`);
      }
    } while (again && !stopped);
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runAll().finally(() => {
      running = null;
    });
  }

  async function listen(): Promise<void> {
    if (stopped) return;
    const client = new pg.Client({ connectionString: databaseUrl });
    const retry = () => {
      if (listener !== client || stopped) return;
      listener = null;
      client.end().catch(() => undefined);
      reconnectTimer = setTimeout(() => void listen(), reconnectDelayMs);
    };
    client.on('error', (error) => {
      log.error({ err: error, loop: name }, `${name} listener lost its connection`);
      retry();
    });
    client.on('end', retry);
    client.on('notification', kick);
    listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      // Work committed while the listener was away is due now.
      kick();
    } catch (error) {
      log.error({ err: error, loop: name }, `${name} listener cannot connect`);
      retry();
    }
  }

  const poll = setInterval(kick, pollIntervalMs);
  void listen();
  kick();

  return {
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(poll);
      clearTimeout(reconnectTimer);
      const client = listener;
      listener = null;
      await client?.end().catch(() => undefined);
      await running;
    },
  };
}
