/**
 * Tasks board bench: seeds a board with 5,000 open tasks over 6 columns and 20 members, then
 * measures in one run, against a real backend process and a bare node:http + pg server answering
 * the same first page (columns + first 50 cards per column) from a second process:
 *   - board first page p50/p99 and throughput (BENCH_CONCURRENCY clients for BENCH_SECONDS each),
 *   - the backend/bare throughput ratio,
 *   - move latency p50/p99 with 20 concurrent movers,
 *   - statements per request (transactions counted by Postgres for the bench database).
 * Straight to the backend; the nginx leg is not part of this run.
 *
 * usage: bash scripts/test-services.sh start && npm run bench:tasks -w backend
 *        BENCH_SECONDS=5 BENCH_CONCURRENCY=8 npm run bench:tasks -w backend
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { backendDir, freePort, percentile, prepareBenchBackend } from './support.js';

const TASKS = 5000;
const COLUMNS = 6;
const MEMBERS = 20;
const PER_COLUMN = 50;
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 10);
const MOVERS = 20;
const MOVES_PER_MOVER = Number(process.env.BENCH_MOVES ?? 15);

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
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
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

async function api(port: number, method: string, path: string, body?: object, token?: string) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** `concurrency` clients requesting `url` back to back for `seconds`. */
async function load(url: string, headers: Record<string, string>) {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const at = performance.now();
        const response = await fetch(url, { headers });
        await response.arrayBuffer();
        if (response.ok) latencies.push(performance.now() - at);
        else errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    throughput: latencies.length / elapsed,
  };
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

async function waitForHealth(port: number, path: string, child: ChildProcess) {
  for (let attempt = 0; ; attempt++) {
    const ready = await fetch(`http://127.0.0.1:${port}${path}`).catch(() => undefined);
    if (ready) return;
    if (attempt > 300 || child.exitCode !== null)
      throw new Error(`server on ${port} did not start`);
    await sleep(100);
  }
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
    const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: backendDir,
      env: { PATH: process.env.PATH ?? '', ...serverEnv },
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
    await waitForHealth(port, '/api/health', server);
    await new Promise<void>((resolve) => bare.once('message', () => resolve()));

    const email = `bench-${randomBytes(4).toString('hex')}@example.test`;
    const password = `Bench-${randomBytes(12).toString('hex')}`;
    await api(port, 'POST', '/api/auth/sign-up', { email, password });
    await client.query(`UPDATE users SET roles = '{member,supervisor}' WHERE email = $1`, [email]);
    const signIn = await api(port, 'POST', '/api/auth/sign-in', { email, password });
    const token = String(signIn.accessToken);
    const headers = { authorization: `Bearer ${token}` };
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

    const boardUrl = `http://127.0.0.1:${port}/api/boards/${boardId}?perColumn=${PER_COLUMN}`;
    const bareUrl = `http://127.0.0.1:${barePort}/boards/${boardId}`;
    // Warm both up (JIT, plans, pools).
    await load(boardUrl, headers);
    await load(bareUrl, {});

    const beforeBackend = await transactions(client, database.name);
    const backend = await load(boardUrl, headers);
    const afterBackend = await transactions(client, database.name);
    const bareRun = await load(bareUrl, {});
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
    console.log(
      `| backend | ${fmt(backend.p50)} | ${fmt(backend.p99)} | ${fmt(backend.throughput)} | ${backend.errors} | ${fmt((afterBackend - beforeBackend) / Math.max(1, backend.requests))} |`,
    );
    console.log(
      `| bare node:http + pg | ${fmt(bareRun.p50)} | ${fmt(bareRun.p99)} | ${fmt(bareRun.throughput)} | ${bareRun.errors} | ${fmt((afterBare - afterBackend) / Math.max(1, bareRun.requests))} |`,
    );
    console.log(
      `backend / bare throughput: ${fmt((100 * backend.throughput) / bareRun.throughput)} %`,
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
