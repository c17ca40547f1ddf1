/**
 * Live board events bench: one real backend process holds BENCH_STREAMS (2,000) board event
 * streams (SSE) opened by a separate load-generator process, spread over BENCH_USERS signed-in
 * board members (supervisors, members and viewers in turn, so every recipient view is served).
 * The per-user stream cap is raised for the run (TASKS_EVENTS_MAX_PER_USER = streams / users).
 * Then BENCH_CHANGES tasks are created one after the other through the API and, per change, the
 * delay from sending the write to the LAST stream receiving its event is measured (p50/p99), as
 * well as the backend's memory per open stream: resident set (/proc/<pid>/status) and V8 heap
 * (its metrics port) after a full collection, before and after the streams opened.
 * Loopback only, straight to the backend (no nginx); everything stops by itself.
 *
 * usage: bash scripts/test-services.sh start && npm run bench:live -w backend
 *        BENCH_STREAMS=500 BENCH_USERS=10 BENCH_CHANGES=50 npm run bench:live -w backend
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { api, backendDir, percentile, prepareBenchBackend, waitForHealth } from './support.js';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 2000);
const USERS = Number(process.env.BENCH_USERS ?? 40);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);
const WARM_UP_CHANGES = 5;
/** Pause between two changes, so each one is measured on its own. */
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 100);
const CHANGE_TIMEOUT_MS = 15_000;
const OPEN_CONCURRENCY = 50;
const ROLES = ['member', 'viewer', 'supervisor'] as const;

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
const now = () => performance.timeOrigin + performance.now();

type ToClients = { type: 'open'; port: number; boardId: string; tokens: string[] };
type FromClients =
  | { type: 'opened'; streams: number; refused: string[] }
  | { type: 'complete'; id: string; event: string; first: number; last: number }
  | { type: 'state'; open: number };

/** The load generator: opens the streams and reports when an event has reached every one. */
function runClients() {
  const send = (message: FromClients) => process.send?.(message);
  process.on('message', async (message: ToClients) => {
    if (message.type !== 'open') return;
    const total = message.tokens.length;
    const arrivals = new Map<string, { event: string; count: number; first: number }>();
    let open = 0;

    function onEvent(id: string | undefined, event: string, at: number) {
      if (id === undefined || event === 'ready' || event === 'reset') return;
      const seen = arrivals.get(id) ?? { event, count: 0, first: at };
      seen.count += 1;
      arrivals.set(id, seen);
      if (seen.count === total) {
        arrivals.delete(id);
        send({ type: 'complete', id, event, first: seen.first, last: at });
      }
    }

    function openOne(token: string): Promise<void> {
      return new Promise((resolve, reject) => {
        const request = http.get(
          {
            host: '127.0.0.1',
            port: message.port,
            path: `/api/boards/${message.boardId}/events`,
            headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
            agent: false,
          },
          (response) => {
            if (response.statusCode !== 200) {
              response.resume();
              reject(new Error(`stream refused: ${response.statusCode}`));
              return;
            }
            response.setEncoding('utf8');
            let pending = '';
            let ready = false;
            response.on('data', (chunk: string) => {
              const at = now();
              pending += chunk;
              for (let end = pending.indexOf('\n\n'); end >= 0; end = pending.indexOf('\n\n')) {
                const frame = pending.slice(0, end);
                pending = pending.slice(end + 2);
                let id: string | undefined;
                let event = '';
                for (const line of frame.split('\n')) {
                  if (line.startsWith('id: ')) id = line.slice(4);
                  else if (line.startsWith('event: ')) event = line.slice(7);
                }
                if (!ready && event === 'ready') {
                  ready = true;
                  open += 1;
                  resolve();
                }
                onEvent(id, event, at);
              }
            });
            response.on('close', () => {
              if (ready) open -= 1;
            });
          },
        );
        request.on('error', reject);
      });
    }

    const refused: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: OPEN_CONCURRENCY }, async () => {
        while (next < total) {
          const token = message.tokens[next++] as string;
          await openOne(token).catch((error: Error) => refused.push(error.message));
        }
      }),
    );
    send({ type: 'opened', streams: open, refused });
    setInterval(() => send({ type: 'state', open }), 1000);
  });
}

interface BenchUser {
  email: string;
  password: string;
}

async function signUp(port: number): Promise<BenchUser> {
  const email = `bench-live-${randomBytes(5).toString('hex')}@example.test`;
  const password = `Bench-${randomBytes(12).toString('hex')}`;
  await api(port, 'POST', '/api/auth/sign-up', { email, password });
  return { email, password };
}

async function signIn(port: number, user: BenchUser): Promise<string> {
  return String((await api(port, 'POST', '/api/auth/sign-in', user)).accessToken);
}

/** User + system CPU time `pid` has used so far, in milliseconds (/proc/<pid>/stat, 100 Hz ticks). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Resident set of `pid` and the V8 heap it reports on its metrics port, after a full GC. */
async function memoryOf(backend: ChildProcess, metricsPort: number) {
  const collected = new Promise<void>((resolve) => {
    const onMessage = (message: unknown) => {
      if (message !== 'gc-done') return;
      backend.off('message', onMessage);
      resolve();
    };
    backend.on('message', onMessage);
  });
  backend.send('gc');
  await collected;
  const pid = backend.pid as number;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const heapBytes = Number(/^nodejs_heap_size_used_bytes (\S+)/m.exec(metrics)?.[1] ?? Number.NaN);
  return { rssBytes: rssKiB * 1024, heapBytes };
}

async function main() {
  const perUser = Math.ceil(STREAMS / USERS);
  const { database, serverEnv, port } = await prepareBenchBackend();
  const children: ChildProcess[] = [];
  let stopping = false;
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const backend = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', '--import', './bench/gc-on-message.ts', 'src/server.ts'],
      {
        cwd: backendDir,
        env: {
          PATH: process.env.PATH ?? '',
          ...serverEnv,
          TASKS_EVENTS_MAX_PER_USER: String(Math.max(10, perUser)),
          // The streams end when their access token expires: long enough for the whole run.
          ACCESS_TOKEN_TTL_SECONDS: '900',
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    children.push(backend);
    backend.on('exit', (code, signal) => {
      if (!stopping) console.error(`backend exited early: ${signal ?? code}`);
    });
    await waitForHealth(port, backend);
    const metricsPort = Number(serverEnv.METRICS_PORT);

    const owner = await signUp(port);
    await client.query(`UPDATE users SET roles = '{member,supervisor}' WHERE email = $1`, [
      owner.email,
    ]);
    const ownerToken = await signIn(port, owner);
    const board = await api(port, 'POST', '/api/boards', { key: 'LIVE', name: 'Live' }, ownerToken);
    const boardId = String(board.id);

    // Members, signed up and in a few at a time (each sign-up and sign-in hashes a password).
    const tokens: string[] = [];
    const roleCounts = { member: 0, viewer: 0, supervisor: 0 };
    for (let index = 0; index < USERS; index += 4) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(4, USERS - index) }, async () => {
          const user = await signUp(port);
          return { user, token: await signIn(port, user) };
        }),
      );
      for (const [offset, { user, token }] of batch.entries()) {
        const role = ROLES[(index + offset) % ROLES.length] as (typeof ROLES)[number];
        await client.query(
          `INSERT INTO board_members (board_id, user_id, role)
           SELECT $1, id, $3::board_role FROM users WHERE email = $2`,
          [boardId, user.email, role],
        );
        roleCounts[role] += 1;
        tokens.push(token);
      }
    }
    const streamTokens = Array.from(
      { length: STREAMS },
      (_, index) => tokens[index % tokens.length] as string,
    );

    const change = (index: number) =>
      api(port, 'POST', `/api/boards/${boardId}/tasks`, { title: `Live ${index}` }, ownerToken);
    for (let index = 0; index < WARM_UP_CHANGES; index++) await change(-index);
    const loadBefore = loadavg();
    const before = await memoryOf(backend, metricsPort);

    const clients = fork(import.meta.filename, ['clients'], {
      cwd: backendDir,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(clients);
    const completions: Extract<FromClients, { type: 'complete' }>[] = [];
    let wake: (() => void) | undefined;
    let openNow = 0;
    const opened = new Promise<Extract<FromClients, { type: 'opened' }>>((resolve) => {
      clients.on('message', (message: FromClients) => {
        if (message.type === 'opened') resolve(message);
        else if (message.type === 'state') openNow = message.open;
        else {
          completions.push(message);
          wake?.();
        }
      });
    });
    const openStarted = now();
    clients.send({ type: 'open', port, boardId, tokens: streamTokens } satisfies ToClients);
    const { streams, refused } = await opened;
    const openSeconds = (now() - openStarted) / 1000;
    if (refused.length > 0) {
      console.log(`${refused.length} streams refused, first: ${refused[0]}`);
    }
    await sleep(2000);
    const during = await memoryOf(backend, metricsPort);

    async function completionOf(
      type: string,
    ): Promise<Extract<FromClients, { type: 'complete' }> | null> {
      const deadline = now() + CHANGE_TIMEOUT_MS;
      for (;;) {
        const at = completions.findIndex((completion) => completion.event === type);
        if (at >= 0) return completions.splice(0, at + 1).at(-1) ?? null;
        const left = deadline - now();
        if (left <= 0) return null;
        await Promise.race([
          new Promise<void>((resolve) => {
            wake = resolve;
          }),
          sleep(left),
        ]);
      }
    }

    const delays: number[] = [];
    const firstDelays: number[] = [];
    const writeTimes: number[] = [];
    let missed = 0;
    const cpuBefore = cpuMsOf(backend.pid as number);
    for (let index = 0; index < CHANGES; index++) {
      const sentAt = now();
      await change(index);
      writeTimes.push(now() - sentAt);
      const completion = await completionOf('task_created');
      if (completion) {
        delays.push(completion.last - sentAt);
        firstDelays.push(completion.first - sentAt);
      } else {
        missed += 1;
      }
      await sleep(INTERVAL_MS);
    }
    const cpuPerChange = (cpuMsOf(backend.pid as number) - cpuBefore) / CHANGES;
    const loadAfter = loadavg();
    await sleep(1100);
    delays.sort((a, b) => a - b);
    firstDelays.sort((a, b) => a - b);
    writeTimes.sort((a, b) => a - b);

    const fmt = (value: number) => value.toFixed(1);
    const kib = (bytes: number) => fmt(bytes / 1024 / Math.max(1, streams));
    console.log('');
    console.log(
      `${streams} board streams open (of ${STREAMS}) on one backend, ${USERS} users ` +
        `(${roleCounts.supervisor} supervisors, ${roleCounts.member} members, ${roleCounts.viewer} viewers), ` +
        `${perUser} streams per user; opened in ${fmt(openSeconds)} s; ${openNow} still open at the end`,
    );
    console.log(
      `load average (1/5/15 min): before ${loadBefore.map(fmt).join(' / ')}, after ${loadAfter.map(fmt).join(' / ')}`,
    );
    console.log('');
    console.log(
      `${delays.length} changes (task created through the API), ${missed} not delivered to every stream:`,
    );
    console.log('| from sending the write to | p50 ms | p99 ms | max ms |');
    console.log('|---|---|---|---|');
    console.log(
      `| the write's response | ${fmt(percentile(writeTimes, 50))} | ${fmt(percentile(writeTimes, 99))} | ${fmt(writeTimes.at(-1) ?? Number.NaN)} |`,
    );
    console.log(
      `| the first stream's event | ${fmt(percentile(firstDelays, 50))} | ${fmt(percentile(firstDelays, 99))} | ${fmt(firstDelays.at(-1) ?? Number.NaN)} |`,
    );
    console.log(
      `| the last stream's event | ${fmt(percentile(delays, 50))} | ${fmt(percentile(delays, 99))} | ${fmt(delays.at(-1) ?? Number.NaN)} |`,
    );
    console.log(
      `backend CPU per change (write + fan-out to every stream, heartbeats included): ${fmt(cpuPerChange)} ms`,
    );
    console.log('');
    console.log(
      `memory per open stream (after a full GC): RSS ${kib(during.rssBytes - before.rssBytes)} KiB, ` +
        `heap ${kib(during.heapBytes - before.heapBytes)} KiB ` +
        `(RSS ${fmt(before.rssBytes / 2 ** 20)} → ${fmt(during.rssBytes / 2 ** 20)} MiB, ` +
        `heap ${fmt(before.heapBytes / 2 ** 20)} → ${fmt(during.heapBytes / 2 ** 20)} MiB)`,
    );
  } finally {
    stopping = true;
    // The database goes only once the backend has closed its connections.
    const exited = children.map((child) =>
      child.exitCode === null && child.signalCode === null
        ? new Promise((resolve) => child.once('exit', resolve))
        : null,
    );
    for (const child of children) child.kill('SIGTERM');
    await Promise.race([Promise.all(exited), sleep(10_000)]);
    await client.end();
    await database.drop();
  }
}

if (process.argv[2] === 'clients') runClients();
else await main();
