import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from './support/nginx.js';

// scripts/deploy.sh against a recording stand-in for the Docker CLI (no engine runs here) and a
// real HTTP readiness endpoint. The stand-in behaves like compose for what deploy.sh reads: `up`
// changes which tag runs (not the stateful services' `up --no-recreate`), `ps` reports the
// containers of the running tag, `run migrate` can fail.
// The readiness server answers for whichever tag is running, as nginx → backend would.
const fakeDocker = `#!/usr/bin/env bash
set -euo pipefail
printf '%s|%s\\n' "\${IMAGE_TAG:-}" "$*" >>"$FAKE_DIR/calls.log"
listed() { [ -n "$1" ] && grep -qxF -- "$1" "$FAKE_DIR/$2" 2>/dev/null; }
args=" $* "
case "$args" in
  *" run --rm --no-deps migrate "*)
    if listed "$IMAGE_TAG" migrate-fails; then echo "migration failed" >&2; exit 1; fi ;;
  *" up --detach --no-build --no-deps --no-recreate "*) ;;
  *" up "*) printf '%s\\n' "$IMAGE_TAG" >"$FAKE_DIR/running" ;;
  *" ps "*)
    running=$(cat "$FAKE_DIR/running" 2>/dev/null || true)
    [ -n "$running" ] || exit 0
    health=healthy
    listed "$running" unhealthy-tags && health=unhealthy
    for service in backend worker certbot nginx; do echo "$service running $health"; done ;;
esac
`;

/** One Docker call: the IMAGE_TAG it saw and its arguments. */
interface DockerCall {
  tag: string;
  args: string;
}

interface Outcome {
  code: number;
  stderr: string;
}

let work: string;
let readiness: Server;
let readyUrl: string;
/** Tag that was running for each readiness request, with the status it got. */
const probes: { tag: string; status: number }[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'homeport-deploy-test-'));
  writeFileSync(join(work, 'docker'), fakeDocker, { mode: 0o755 });
  // Each test machine passes its fake Docker folder in the query, so tests stay independent.
  readiness = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const directory = url.searchParams.get('dir') ?? '';
    const runningFile = join(directory, 'running');
    const tag = existsSync(runningFile) ? readFileSync(runningFile, 'utf8').trim() : '';
    const notReady = readList(join(directory, 'not-ready-tags'));
    const status = url.pathname === '/api/ready' && tag && !notReady.includes(tag) ? 200 : 503;
    probes.push({ tag, status });
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: status === 200 ? 'ready' : 'not ready' }));
  });
  await new Promise<void>((resolve) => readiness.listen(0, '127.0.0.1', resolve));
  const address = readiness.address();
  readyUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => readiness?.close(resolve));
  if (work) rmSync(work, { recursive: true, force: true });
});

function readList(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];
}

/** A fresh machine: its own fake Docker state, deploy state dir and optional deployed tag. */
function machine(options: { deployed?: string } = {}) {
  const directory = join(work, randomUUID());
  const stateDir = join(directory, 'state');
  mkdirSync(stateDir, { recursive: true });
  if (options.deployed) {
    writeFileSync(join(stateDir, 'current-tag'), `${options.deployed}\n`);
    writeFileSync(join(directory, 'running'), `${options.deployed}\n`);
  }
  const list = (name: string, tags: string[]) =>
    writeFileSync(join(directory, name), `${tags.join('\n')}\n`);
  return {
    directory,
    stateDir,
    notReady: (...tags: string[]) => list('not-ready-tags', tags),
    unhealthy: (...tags: string[]) => list('unhealthy-tags', tags),
    migrateFails: (...tags: string[]) => list('migrate-fails', tags),
    currentTag: () => {
      const file = join(stateDir, 'current-tag');
      return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
    },
    running: () => readFileSync(join(directory, 'running'), 'utf8').trim(),
    /** Every Docker call as [IMAGE_TAG, arguments]. */
    calls: (): DockerCall[] =>
      readList(join(directory, 'calls.log')).map((line) => {
        const [tag, args] = line.split('|');
        if (tag === undefined || args === undefined) {
          throw new Error(`calls.log line without a tag|arguments pair: ${line}`);
        }
        return { tag, args };
      }),
    deploy: (args: string[], env: Record<string, string> = {}) =>
      runDeploy(args, {
        DOCKER: join(work, 'docker'),
        FAKE_DIR: directory,
        DEPLOY_STATE_DIR: stateDir,
        DEPLOY_READY_URL: `${readyUrl}/api/ready?dir=${encodeURIComponent(directory)}`,
        DEPLOY_TIMEOUT_SECONDS: '2',
        DEPLOY_POLL_SECONDS: '0.1',
        ...env,
      }),
  };
}

function runDeploy(args: string[], env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [join(root, 'scripts/deploy.sh'), ...args],
      { env: { PATH: process.env.PATH, HOME: work, ...env }, timeout: 60_000 },
      (error, _stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stderr });
      },
    );
  });
}

const ups = (calls: DockerCall[]) =>
  calls.filter((call) =>
    / up --detach --no-build --no-deps backend worker certbot nginx$/.test(call.args),
  );

describe('deploy.sh: healthy rollout', () => {
  it('migrates, starts the services on the new tag and records it once healthy', async () => {
    const vm = machine({ deployed: 'v1' });
    const outcome = await vm.deploy(['v2']);
    expect(outcome.stderr).toContain('v2 is deployed and healthy');
    expect(outcome.code).toBe(0);
    expect(vm.currentTag()).toBe('v2');
    const calls = vm.calls();
    const [first] = calls;
    if (!first) throw new Error('deploy.sh made no Docker call');
    expect(first).toMatchObject({ tag: 'v2' });
    // New secrets first, then the database as it is, then the migrations beside it.
    expect(first.args).toMatch(/ run --rm --no-deps secrets$/);
    expect(calls.slice(0, 3).map((call) => call.args.replace(/^.* (run|up) /, '$1 '))).toEqual([
      'run --rm --no-deps secrets',
      'up --detach --no-build --no-deps --no-recreate postgres',
      'run --rm --no-deps migrate',
    ]);
    expect(ups(calls).map((call) => call.tag)).toEqual(['v2']);
    // No call converges dependencies: that would recreate the secrets one-shot (its image
    // carries the tag) and restart Postgres and MinIO with it. The stateful services are only
    // started if missing.
    const upCalls = calls.filter((call) => / up /.test(call.args));
    expect(upCalls.every((call) => call.args.includes(' --no-deps '))).toBe(true);
    expect(upCalls.map((call) => call.args.replace(/^.* up /, 'up '))).toContain(
      'up --detach --no-build --no-deps --no-recreate postgres minio mailpit',
    );
    expect(calls.some((call) => call.args.includes(' ps --format '))).toBe(true);
    expect(readFileSync(join(vm.stateDir, 'history'), 'utf8')).toMatch(/^\S+Z v2\n$/);
    expect(probes.some((probe) => probe.tag === 'v2' && probe.status === 200)).toBe(true);
  });

  it('records the first deploy on a machine without state', async () => {
    const vm = machine();
    const outcome = await vm.deploy(['first-1']);
    expect(outcome.code).toBe(0);
    expect(vm.currentTag()).toBe('first-1');
    expect(outcome.stderr).toContain('currently deployed: none');
  });

  it('shortens a commit id to the 12-character tag build-images.sh gives', async () => {
    const vm = machine();
    const commit = 'a3f9c2e17b5d40c8e6f1a2b3c4d5e6f708192a3b';
    const outcome = await vm.deploy([commit]);
    expect(outcome.code).toBe(0);
    expect(vm.currentTag()).toBe('a3f9c2e17b5d');
    expect(new Set(vm.calls().map((call) => call.tag))).toEqual(new Set(['a3f9c2e17b5d']));
  });

  it('is idempotent: deploying the running tag again succeeds and keeps the state', async () => {
    const vm = machine({ deployed: 'same' });
    const outcome = await vm.deploy(['same']);
    expect(outcome.code).toBe(0);
    expect(vm.currentTag()).toBe('same');
  });

  it('hands DEPLOY_ENV_PATH to compose', async () => {
    const vm = machine();
    const envFile = join(vm.directory, 'deploy.env');
    writeFileSync(envFile, 'DOMAIN=example.test\n');
    const outcome = await vm.deploy(['env-1'], { DEPLOY_ENV_PATH: envFile });
    expect(outcome.code).toBe(0);
    for (const call of vm.calls()) expect(call.args).toContain(`--env-file ${envFile}`);
  });
});

describe('deploy.sh: failed rollout', () => {
  it('rolls back to the previous tag when readiness answers 503, keeping the state', async () => {
    const vm = machine({ deployed: 'good' });
    vm.notReady('bad');
    const outcome = await vm.deploy(['bad']);
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toMatch(/answered 503/);
    expect(outcome.stderr).toContain('rolled back to good');
    expect(ups(vm.calls()).map((call) => call.tag)).toEqual(['bad', 'good']);
    expect(vm.running()).toBe('good');
    expect(vm.currentTag()).toBe('good');
    expect(probes.some((probe) => probe.tag === 'bad' && probe.status === 503)).toBe(true);
  });

  it('rolls back when a container reports unhealthy, naming the service', async () => {
    const vm = machine({ deployed: 'good' });
    vm.unhealthy('sick');
    const outcome = await vm.deploy(['sick']);
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toContain('backend is running/unhealthy');
    expect(ups(vm.calls()).map((call) => call.tag)).toEqual(['sick', 'good']);
    expect(vm.currentTag()).toBe('good');
  });

  it('says so, exits 2 and keeps the state when the rollback is not healthy either', async () => {
    const vm = machine({ deployed: 'old' });
    vm.notReady('new', 'old');
    const outcome = await vm.deploy(['new']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('rollback to old is not healthy either');
    expect(vm.currentTag()).toBe('old');
  });

  it('fails clearly on a first deploy with nothing to roll back to, recording nothing', async () => {
    const vm = machine();
    vm.notReady('only');
    const outcome = await vm.deploy(['only']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('no previous tag to roll back to');
    expect(ups(vm.calls()).map((call) => call.tag)).toEqual(['only']);
    expect(vm.currentTag()).toBeUndefined();
    expect(existsSync(join(vm.stateDir, 'history'))).toBe(false);
  });

  it('leaves the running services alone when the migration fails', async () => {
    const vm = machine({ deployed: 'stable' });
    vm.migrateFails('broken');
    const outcome = await vm.deploy(['broken']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('migrate one-shot of broken failed');
    expect(ups(vm.calls())).toEqual([]);
    expect(vm.running()).toBe('stable');
    expect(vm.currentTag()).toBe('stable');
  });
});

describe('deploy.sh: arguments', () => {
  it.each([
    ['no argument', []],
    ['two arguments', ['v1', 'v2']],
    ['a space', ['v 1']],
    ['a leading dash', ['-rf']],
    ['a path', ['../etc']],
    ['a 129-character tag', ['x'.repeat(129)]],
  ])('refuses %s with the usage line and touches nothing', async (_case, args) => {
    const vm = machine({ deployed: 'kept' });
    const outcome = await vm.deploy(args);
    expect(outcome.code).toBe(64);
    expect(outcome.stderr).toContain('usage: ');
    expect(vm.calls()).toEqual([]);
    expect(vm.currentTag()).toBe('kept');
  });

  it('refuses a non-numeric timeout', async () => {
    const vm = machine();
    const outcome = await vm.deploy(['v1'], { DEPLOY_TIMEOUT_SECONDS: 'soon' });
    expect(outcome.code).toBe(64);
    expect(outcome.stderr).toContain('DEPLOY_TIMEOUT_SECONDS');
    expect(vm.calls()).toEqual([]);
  });
});
