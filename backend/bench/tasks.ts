/**
 * Tasks board bench: seeds a board with 5,000 open tasks over 6 columns and 20 members, then
 * measures in one run, against a real backend process — straight and through the edge (the
 * rendered nginx templates on Debian's nginx, HTTPS, token check in njs, rate limits) — and a bare
 * node:http + pg server answering the same first page (columns + first 50 cards per column) from a
 * second process:
 *   - board first page p50/p99 and throughput (BENCH_CONCURRENCY clients for BENCH_SECONDS each,
 *     each client with its own session's token, as people are),
 *   - the backend/bare and nginx/bare throughput ratios,
 *   - move latency p50/p99 with 20 concurrent movers,
 *   - statements per request (transactions counted by Postgres for the bench database).
 *
 * usage: bash scripts/test-services.sh start && npm run bench:tasks -w backend
 *        BENCH_SECONDS=5 BENCH_CONCURRENCY=8 BENCH_POOL_SIZE=4 npm run bench:tasks -w backend
 *        BENCH_CPU_PROFILE=/tmp/profile npm run bench:tasks -w backend   (the backend's profile)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  api,
  backendDir,
  freePort,
  percentile,
  prepareBenchBackend,
  serviceEnv,
  waitForHealth,
} from './support.js';

const TASKS = 5000;
const COLUMNS = 6;
const MEMBERS = 20;
const PER_COLUMN = 50;
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 10);
const MOVERS = 20;
const MOVES_PER_MOVER = Number(process.env.BENCH_MOVES ?? 15);
// Database connections of each server: the backend's production default (DATABASE_POOL_SIZE).
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 10);

// The bare server's two statements: the same columns and LATERAL first page the backend runs.
const BARE_COLUMNS_SQL = `SELECT c.id, c.name, c.rank, c.wip_limit, c.is_done,
  (SELECT count(*)::int FROM tasks t WHERE t.column_id = c.id AND NOT t.archived) AS open_count
  FROM board_columns c WHERE c.board_id = $1 ORDER BY c.rank`;
const BARE_CARDS_SQL = `SELECT t.* FROM board_columns c CROSS JOIN LATERAL (
  SELECT t.id, t.column_id, t.number, t.rank, t.title, t.pic_id, t.priority, t.due_date, t.version,
    ARRAY(SELECT a.user_id FROM task_assignees a WHERE a.task_id = t.id) AS assignee_ids,
    ARRAY(SELECT l.label_id FROM task_labels l WHERE l.task_id = t.id) AS label_ids,
    (SELECT count(*)::int FROM checklist_items i WHERE i.task_id = t.id) AS checklist_total,
    (SELECT count(*)::int FROM checklist_items i WHERE i.task_id = t.id AND i.done) AS checklist_done,
    (SELECT count(*)::int FROM task_comments m WHERE m.task_id = t.id AND m.deleted_at IS NULL) AS comment_count,
    (SELECT count(*)::int FROM task_attachments f WHERE f.task_id = t.id) AS attachment_count
  FROM tasks t WHERE t.column_id = c.id AND NOT t.archived ORDER BY t.rank LIMIT $2) t
  WHERE c.board_id = $1 ORDER BY c.rank, t.rank`;

/** The bare ceiling: node:http + pg, no framework, no auth, no validation. */
async function serveBare(databaseUrl: string, port: number) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE });
  http
    .createServer(async (request, response) => {
      const boardId = request.url?.split('/')[2] ?? '';
      const [columns, cards] = await Promise.all([
        pool.query(BARE_COLUMNS_SQL, [boardId]),
        pool.query(BARE_CARDS_SQL, [boardId, PER_COLUMN + 1]),
      ]);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ columns: columns.rows, cards: cards.rows }));
    })
    .listen(port, '127.0.0.1', () => process.send?.('ready'));
}

/** Where a load run goes: a URL, each client's headers, and the keep-alive agent they share. */
interface Target {
  url: string;
  headers: (client: number) => Record<string, string>;
  agent: http.Agent;
}

function keepAlive(ca?: string): http.Agent {
  const options = { keepAlive: true, maxSockets: concurrency };
  return ca ? new https.Agent({ ...options, ca }) : new http.Agent(options);
}

/** One GET with the same client for every leg (node:http/https, keep-alive): status and body size. */
function get(target: Target, client: number): Promise<number> {
  const url = new URL(target.url);
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      { headers: target.headers(client), agent: target.agent as https.Agent },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
        response.once('error', reject);
      },
    );
    request.once('error', reject);
    request.end();
  });
}

/** `concurrency` clients requesting the target back to back for `seconds`. */
async function load(target: Target) {
  const latencies: number[] = [];
  const refusals = new Map<number, number>();
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      while (performance.now() < deadline) {
        const at = performance.now();
        const status = await get(target, client);
        if (status === 200) latencies.push(performance.now() - at);
        else refusals.set(status, (refusals.get(status) ?? 0) + 1);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors: [...refusals.values()].reduce((sum, count) => sum + count, 0),
    refusals: [...refusals].map(([status, count]) => `${count}×${status}`).join(' '),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    throughput: latencies.length / elapsed,
  };
}

/** The edge in front of the backend (scripts/tests/support/gateway-cli.ts), in its own process. */
async function startEdge(backendPort: number, bucket: string, publicKey: string) {
  const keyDir = mkdtempSync(join(tmpdir(), 'homeport-bench-key-'));
  const keyFile = join(keyDir, 'jwt_public_key.pem');
  writeFileSync(keyFile, publicKey);
  const storage = new URL(serviceEnv().S3_ENDPOINT ?? 'http://127.0.0.1:9000').host;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(backendDir, '../scripts/tests/support/gateway-cli.ts'),
      `127.0.0.1:${backendPort}`,
      storage,
      bucket,
      keyFile,
    ],
    { cwd: backendDir, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = await Promise.race([
    (async () => {
      for await (const text of createInterface({ input: child.stdout })) return [text];
      return [undefined];
    })(),
    new Promise<[undefined]>((resolve) => child.once('exit', () => resolve([undefined]))),
  ]);
  rmSync(keyDir, { recursive: true, force: true });
  if (!line) throw new Error('the edge did not start');
  const { base, caFile } = JSON.parse(line) as { base: string; caFile: string };
  return { child, base, ca: readFileSync(caFile, 'utf8') };
}

async function transactions(client: pg.Client, database: string): Promise<number> {
  // Statistics reach pg_stat_database when each backend flushes them (about once a second).
  await sleep(1500);
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query<{ xact: string }>(
    'SELECT xact_commit + xact_rollback AS xact FROM pg_stat_database WHERE datname = $1',
    [database],
  );
  return Number(rows[0]?.xact ?? 0);
}

async function seed(client: pg.Client, boardId: string, supervisorId: string) {
  const { rows: existing } = await client.query<{ id: string }>(
    'SELECT id FROM board_columns WHERE board_id = $1 ORDER BY rank',
    [boardId],
  );
  // Two more columns after Done (ranks a4, a5 sort after the defaults a0..a3).
  for (const [index, name] of ['Blocked', 'Released'].entries()) {
    await client.query(
      `INSERT INTO board_columns (id, board_id, name, rank, updated_at) VALUES (gen_random_uuid(), $1, $2, $3, now())`,
      [boardId, name, `a${existing.length + index}`],
    );
  }
  const { rows: columns } = await client.query<{ id: string }>(
    'SELECT id FROM board_columns WHERE board_id = $1 ORDER BY rank',
    [boardId],
  );
  if (columns.length !== COLUMNS) throw new Error(`expected ${COLUMNS} columns`);
  const members = [supervisorId];
  for (let index = 1; index < MEMBERS; index++) {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO users (id, email, password_hash, status, updated_at)
       VALUES (gen_random_uuid(), $1, 'x', 'active', now()) RETURNING id`,
      [`bench-member-${index}-${randomBytes(3).toString('hex')}@example.test`],
    );
    const id = rows[0]?.id as string;
    members.push(id);
    await client.query(
      `INSERT INTO board_members (board_id, user_id, role) VALUES ($1, $2, 'member')`,
      [boardId, id],
    );
  }
  // Ranks: "b" + 5 digits, increasing within each column (valid fractional-indexing keys).
  await client.query(
    `INSERT INTO tasks (id, board_id, column_id, rank, number, title, content, pic_id, due_date, updated_at)
     SELECT gen_random_uuid(), $1, ($2::uuid[])[1 + (n % ${COLUMNS})],
            'b' || lpad((n / ${COLUMNS})::text, 5, '0'), n, 'Bench task ' || n, 'Content of task ' || n,
            ($3::uuid[])[1 + (n % ${MEMBERS})], current_date + (n % 60) - 20, now()
       FROM generate_series(1, ${TASKS}) AS n`,
    [boardId, columns.map((column) => column.id), members],
  );
  await client.query('UPDATE boards SET next_task_number = $2 WHERE id = $1', [boardId, TASKS + 1]);
  await client.query(
    `INSERT INTO task_assignees (task_id, user_id)
     SELECT id, ($2::uuid[])[1 + ((number + 7) % ${MEMBERS})] FROM tasks WHERE board_id = $1`,
    [boardId, members],
  );
  await client.query('ANALYZE');
  return columns.map((column) => column.id);
}

async function main() {
  const { database, serverEnv, port } = await prepareBenchBackend();
  const barePort = await freePort();
  const children: ChildProcess[] = [];
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    // BENCH_CPU_PROFILE=<dir>: the backend writes a V8 CPU profile there when it stops.
    const profile = process.env.BENCH_CPU_PROFILE;
    const profileArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
    const server = spawn(process.execPath, [...profileArgs, '--import', 'tsx', 'src/server.ts'], {
      cwd: backendDir,
      env: { PATH: process.env.PATH ?? '', ...serverEnv, DATABASE_POOL_SIZE: String(POOL_SIZE) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.push(server);
    const bare = spawn(
      process.execPath,
      ['--import', 'tsx', import.meta.filename, 'bare', database.url, String(barePort)],
      {
        cwd: backendDir,
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    children.push(bare);
    await waitForHealth(port, server);
    await new Promise<void>((resolve) => bare.once('message', () => resolve()));

    const email = `bench-${randomBytes(4).toString('hex')}@example.test`;
    const password = `Bench-${randomBytes(12).toString('hex')}`;
    await api(port, 'POST', '/api/auth/sign-up', { email, password });
    await client.query(`UPDATE users SET roles = '{member,supervisor}' WHERE email = $1`, [email]);
    // One session per client, as each person has theirs (the edge limits requests per token).
    const tokens: string[] = [];
    for (let client = 0; client < concurrency; client++) {
      const signIn = await api(port, 'POST', '/api/auth/sign-in', { email, password });
      tokens.push(String(signIn.accessToken));
    }
    const token = tokens[0] as string;
    const headers = { authorization: `Bearer ${token}` };
    const clientHeaders = (client: number) => ({ authorization: `Bearer ${tokens[client]}` });
    const board = await api(
      port,
      'POST',
      '/api/boards',
      { key: 'BENCH', name: 'Bench board' },
      token,
    );
    const boardId = String(board.id);
    const { rows: me } = await client.query<{ id: string }>(
      'SELECT id FROM users WHERE email = $1',
      [email],
    );
    const columns = await seed(client, boardId, me[0]?.id as string);
    console.log(`seeded ${TASKS} open tasks over ${COLUMNS} columns, ${MEMBERS} members`);
    if (process.env.BENCH_EXPLAIN) {
      const plan = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${BARE_CARDS_SQL}`, [
        boardId,
        PER_COLUMN + 1,
      ]);
      for (const row of plan.rows) console.log(row['QUERY PLAN']);
    }

    const edge = await startEdge(
      port,
      serverEnv.S3_BUCKET as string,
      serverEnv.JWT_PUBLIC_KEY as string,
    );
    children.push(edge.child);
    const boardPath = `/api/boards/${boardId}?perColumn=${PER_COLUMN}`;
    const direct: Target = {
      url: `http://127.0.0.1:${port}${boardPath}`,
      headers: clientHeaders,
      agent: keepAlive(),
    };
    const throughEdge: Target = {
      url: `${edge.base}${boardPath}`,
      headers: clientHeaders,
      agent: keepAlive(edge.ca),
    };
    const bareTarget: Target = {
      url: `http://127.0.0.1:${barePort}/boards/${boardId}`,
      headers: () => ({}),
      agent: keepAlive(),
    };
    // Warm every leg up (JIT, plans, pools, TLS sessions).
    for (const target of [direct, throughEdge, bareTarget]) await load(target);

    const beforeBackend = await transactions(client, database.name);
    const backend = await load(direct);
    const afterBackend = await transactions(client, database.name);
    const edgeRun = await load(throughEdge);
    const afterEdge = await transactions(client, database.name);
    const bareRun = await load(bareTarget);
    const afterBare = await transactions(client, database.name);

    const { rows: movable } = await client.query<{ id: string }>(
      'SELECT id FROM tasks WHERE board_id = $1 ORDER BY random() LIMIT $2',
      [boardId, MOVERS * MOVES_PER_MOVER],
    );
    const moveLatencies: number[] = [];
    let moveErrors = 0;
    const beforeMoves = await transactions(client, database.name);
    const target = columns[1] as string;
    await Promise.all(
      Array.from({ length: MOVERS }, async (_, mover) => {
        for (let index = 0; index < MOVES_PER_MOVER; index++) {
          const task = movable[mover * MOVES_PER_MOVER + index]?.id;
          const at = performance.now();
          const response = await fetch(`http://127.0.0.1:${port}/api/tasks/${task}/move`, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            // Every mover into the same column, to its top: the most contended case.
            body: JSON.stringify({ columnId: target }),
          });
          await response.arrayBuffer();
          if (response.ok) moveLatencies.push(performance.now() - at);
          else moveErrors += 1;
        }
      }),
    );
    const afterMoves = await transactions(client, database.name);
    moveLatencies.sort((a, b) => a - b);
    const { rows: duplicates } = await client.query<{ count: string }>(
      'SELECT count(*) FROM (SELECT rank FROM tasks WHERE column_id = $1 GROUP BY rank HAVING count(*) > 1) d',
      [target],
    );

    const fmt = (value: number) => value.toFixed(1);
    console.log('');
    console.log(
      `board first page (${PER_COLUMN} cards × ${COLUMNS} columns), ${concurrency} clients × ${seconds} s:`,
    );
    console.log('| server | p50 ms | p99 ms | req/s | errors | statements/request |');
    console.log('|---|---|---|---|---|---|');
    const row = (name: string, run: typeof backend, statements: number) =>
      console.log(
        `| ${name} | ${fmt(run.p50)} | ${fmt(run.p99)} | ${fmt(run.throughput)} | ${run.errors}${run.refusals ? ` (${run.refusals})` : ''} | ${fmt(statements / Math.max(1, run.requests))} |`,
      );
    row('backend', backend, afterBackend - beforeBackend);
    row('nginx (HTTPS) → backend', edgeRun, afterEdge - afterBackend);
    row('bare node:http + pg', bareRun, afterBare - afterEdge);
    const ratio = (run: typeof backend) => fmt((100 * run.throughput) / bareRun.throughput);
    console.log(`backend / bare throughput: ${ratio(backend)} %`);
    console.log(`nginx → backend / bare throughput: ${ratio(edgeRun)} %`);
    console.log(
      `load average at the end: ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')}`,
    );
    console.log('');
    console.log(
      `moves: ${MOVERS} concurrent movers × ${MOVES_PER_MOVER} into one column: p50 ${fmt(percentile(moveLatencies, 50))} ms, ` +
        `p99 ${fmt(percentile(moveLatencies, 99))} ms, ${moveErrors} errors, ` +
        `${fmt((afterMoves - beforeMoves) / Math.max(1, moveLatencies.length))} transactions/move, ` +
        `${duplicates[0]?.count} duplicate ranks`,
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await client.end();
    await sleep(500);
    await database.drop();
  }
}

if (process.argv[2] === 'bare') {
  await serveBare(process.argv[3] as string, Number(process.argv[4]));
} else {
  await main();
}
