import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// Docker's DNS resolves a service name only for containers on a network that service is on.
// Every `service:port` (or `*_HOST: service`) a service's configuration names — its compose
// environment and command, the ENV of the Dockerfile it is built from, and the nginx
// templates — must therefore be a service on a network both share. No engine needed.
const root = join(import.meta.dirname, '../..');

interface Service {
  build?: { context?: string; dockerfile?: string } | string;
  environment?: Record<string, string | number | boolean | null>;
  command?: unknown;
  entrypoint?: unknown;
  networks?: string[] | Record<string, unknown>;
}
interface Compose {
  services: Record<string, Service>;
}

/** Files inside the image a service is built from whose text names other services. */
const configFiles: Record<string, string[]> = { nginx: ['nginx/templates', 'nginx/nginx.conf'] };

function filesUnder(path: string): string[] {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(full, entry))
    .filter((entry) => statSync(entry).isFile());
}

function dockerfileOf(service: Service): string | undefined {
  if (!service.build) return undefined;
  const build = typeof service.build === 'string' ? { context: service.build } : service.build;
  return join(root, build.context ?? '.', build.dockerfile ?? 'Dockerfile');
}

/** The ENV instructions of a Dockerfile, continuation lines joined. */
function dockerfileEnv(text: string): string {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => /^\s*ENV\s/i.test(line))
    .join('\n');
}

interface Reference {
  from: string;
  to: string;
  where: string;
}

function networksOf(service: Service): string[] {
  const networks = service.networks;
  if (!networks) return ['default'];
  return Array.isArray(networks) ? networks : Object.keys(networks);
}

/** Every reference from one service to another that its configuration makes. */
function references(compose: Compose, read = (path: string) => readFileSync(path, 'utf8')) {
  const names = Object.keys(compose.services);
  const hostPort = new RegExp(`(?<![\\w.-])(${names.join('|')}):(\\d{2,5})\\b`, 'g');
  const found: Reference[] = [];
  const scan = (from: string, text: string, where: string) => {
    for (const match of text.matchAll(hostPort)) {
      if (match[1]) found.push({ from, to: match[1], where: `${where}: ${match[0]}` });
    }
  };
  for (const [from, service] of Object.entries(compose.services)) {
    for (const [key, value] of Object.entries(service.environment ?? {})) {
      const text = String(value ?? '');
      scan(from, text, `environment ${key}`);
      if (/_HOST$/.test(key) && names.includes(text)) {
        found.push({ from, to: text, where: `environment ${key}: ${text}` });
      }
    }
    scan(from, JSON.stringify([service.entrypoint ?? [], service.command ?? []]), 'command');
    const dockerfile = dockerfileOf(service);
    if (dockerfile) scan(from, dockerfileEnv(read(dockerfile)), relative(root, dockerfile));
    for (const path of configFiles[from] ?? []) {
      for (const file of filesUnder(path)) scan(from, read(file), relative(root, file));
    }
  }
  return found;
}

/** The references whose two services share no network: Docker's DNS would not resolve them. */
function unreachable(compose: Compose, read?: (path: string) => string): string[] {
  return references(compose, read)
    .filter(({ from, to }) => {
      if (from === to) return false;
      const theirs = networksOf(compose.services[to] as Service);
      return !networksOf(compose.services[from] as Service).some((n) => theirs.includes(n));
    })
    .map(({ from, to, where }) => `${from} → ${to} (${where}): no shared network`);
}

const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const load = () => parse(composeText, { merge: true }) as Compose;

describe('compose wiring: every service a configuration names is reachable', () => {
  it('finds the references the stack is built on', () => {
    const seen = references(load()).map(({ from, to }) => `${from} → ${to}`);
    for (const expected of [
      'backend → minio',
      'backend → mailpit',
      'worker → minio',
      'minio → backend',
      'nginx → backend',
      'nginx → minio',
      'nginx → jenkins',
      'secrets → postgres',
    ]) {
      expect(seen).toContain(expected);
    }
  });

  it('every referenced service shares a network with the one naming it', () => {
    expect(unreachable(load())).toEqual([]);
  });

  it('reports a service that names another it shares no network with', () => {
    // The defect this check exists for: nginx proxied /<bucket>/ to minio:9000 while minio was
    // only on `data`, so every presigned transfer got a 502 behind green healthchecks.
    const compose = load();
    (compose.services.minio as Service).networks = ['data'];
    (compose.services.nginx as Service).networks = ['edge', 'app'];
    expect(unreachable(compose)).toEqual([
      'nginx → minio (nginx/Dockerfile: minio:9000): no shared network',
    ]);
  });
});
