import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '../..');
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  user?: string;
  ports?: string[];
  restart?: string;
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  healthcheck?: { test?: unknown; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  environment?: Record<string, string>;
  networks?: string[];
  command?: unknown;
}
interface Compose {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean } | null>;
  volumes: Record<string, unknown>;
}

const compose = parse(composeText, { merge: true }) as Compose;

function service(name: string): Service {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}
const services = Object.entries(compose.services);
/** One-shots: others wait for their successful exit, so they restart only on failure. */
const oneShots = new Set(['secrets', 'migrate']);

describe('docker-compose.yml policy', () => {
  it('has every service of the architecture', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'backend',
        'certbot',
        'jenkins',
        'mailpit',
        'migrate',
        'minio',
        'nginx',
        'postgres',
        'secrets',
        'worker',
      ].sort(),
    );
  });

  it('publishes ports only on nginx, and only 80 and 443', () => {
    for (const [name, service] of services) {
      if (name === 'nginx') continue;
      expect(service.ports, `${name} publishes ports`).toBeUndefined();
    }
    const published = (service('nginx').ports ?? []).map((port) => port.split(':')[0]);
    expect(published.sort()).toEqual(['443', '80']);
  });

  it.each(services)('%s runs as a non-root user', (_name, service) => {
    expect(service.user).toBeDefined();
    expect(String(service.user)).not.toMatch(/^(root|0)(:|$)/);
  });

  it.each(services)(
    '%s drops every capability and forbids privilege escalation',
    (_name, service) => {
      expect(service.cap_drop).toEqual(['ALL']);
      expect(service.security_opt).toContain('no-new-privileges:true');
    },
  );

  it.each(services)('%s has a read-only root filesystem', (_name, service) => {
    expect(service.read_only).toBe(true);
  });

  it.each(services)(
    '%s has a restart policy and a health check (or is a one-shot)',
    (name, service) => {
      if (oneShots.has(name)) {
        expect(service.restart).toBe('on-failure');
        expect(service.healthcheck?.disable).toBe(true);
        return;
      }
      expect(service.restart).toBe('unless-stopped');
      const hasImageHealthcheck = name === 'nginx' || name === 'certbot';
      if (!hasImageHealthcheck)
        expect(service.healthcheck?.test, `${name} healthcheck`).toBeDefined();
      expect(service.healthcheck?.disable).not.toBe(true);
    },
  );

  it('waits on health or completion in every dependency', () => {
    for (const [name, service] of services) {
      if (!service.depends_on) continue;
      expect(Array.isArray(service.depends_on), `${name} uses the short depends_on form`).toBe(
        false,
      );
      for (const [dependency, rule] of Object.entries(service.depends_on)) {
        const expected = oneShots.has(dependency)
          ? 'service_completed_successfully'
          : 'service_healthy';
        expect(rule.condition, `${name} → ${dependency}`).toBe(expected);
      }
    }
    for (const name of ['backend', 'worker']) {
      expect(service(name).depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
      });
    }
  });

  it('pins every image by an explicit tag', () => {
    for (const [name, service] of services) {
      expect(service.image, `${name} image`).toBeDefined();
      const image = String(service.image);
      const tag = image.includes('}')
        ? image.slice(image.lastIndexOf(':'))
        : image.split('/').pop();
      expect(tag, `${name}: ${image}`).toMatch(/:.+/);
      expect(image, `${name}: ${image}`).not.toMatch(/:latest\b|:-latest\}/);
    }
    expect(service('postgres').image).toMatch(/^postgres:17\./);
    expect(service('minio').image).toBe('quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z');
  });

  it('contains no literal secrets: only *_FILE references into the secrets volume', () => {
    const secretLike = /(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|ACCESS_KEY|DATABASE_URL)$/;
    for (const [name, service] of services) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (secretLike.test(key)) expect.fail(`${name}: ${key} carries a value; use ${key}_FILE`);
        if (key.endsWith('_FILE')) expect(String(value), `${name}.${key}`).toMatch(/^\/secrets\//);
      }
    }
    expect(composeText).not.toMatch(/changeme|changethis|password123|minioadmin/i);
  });

  it('keeps data services off every network but the internal ones', () => {
    expect(compose.networks.data?.internal).toBe(true);
    expect(compose.networks.storage?.internal).toBe(true);
    for (const name of ['postgres', 'mailpit', 'migrate', 'secrets']) {
      expect(service(name).networks, name).toEqual(['data']);
    }
    // The object store also faces nginx, on a network of their own (presigned transfers).
    expect(service('minio').networks).toEqual(['data', 'storage']);
    for (const [name, service] of services) {
      if (name !== 'nginx' && name !== 'minio') {
        expect(service.networks, `${name} on storage`).not.toContain('storage');
      }
    }
    expect(service('nginx').networks, 'nginx never joins data').not.toContain('data');
    for (const [name, service] of services) {
      if (name !== 'nginx' && name !== 'certbot' && name !== 'jenkins') {
        expect(service.networks, `${name} on edge`).not.toContain('edge');
      }
    }
  });

  it('gives the Docker socket only to jenkins, and only in the opt-in ci profile', () => {
    for (const [name, service] of services) {
      const volumes = (service as { volumes?: string[] }).volumes ?? [];
      if (name === 'jenkins') continue;
      expect(volumes.join(' '), name).not.toContain('docker.sock');
    }
    expect(compose.services.jenkins).toMatchObject({ profiles: ['ci'] });
  });

  it('reads every secret the backend needs from a file', () => {
    const environment = service('backend').environment ?? {};
    for (const name of [
      'DATABASE_URL',
      'S3_ACCESS_KEY',
      'S3_SECRET_KEY',
      'JWT_PRIVATE_KEY',
      'JWT_PUBLIC_KEY',
      'STORAGE_WEBHOOK_SECRET',
      'MAIL_WEBHOOK_SECRET',
    ]) {
      expect(environment[`${name}_FILE`], name).toBeDefined();
    }
    const config = readFileSync(join(root, 'backend/src/config.ts'), 'utf8');
    for (const key of Object.keys(environment)) {
      const base = key.replace(/_FILE$/, '');
      expect(config, `backend config knows ${base}`).toContain(`${base}:`);
    }
  });

  it('is valid against the compose specification (dclint)', async () => {
    // Style-only rules are off: services are listed in start-up order rather than alphabetically,
    // built services also name their image (CI tags it by commit), and nginx must listen on
    // every interface.
    const disabled = [
      'service-keys-order',
      'services-alphabetical-order',
      'top-level-properties-order',
      'no-build-and-image',
      'no-unbound-port-interfaces',
    ];
    const { stdout } = await promisify(execFile)(
      join(root, 'node_modules/.bin/dclint'),
      ['docker-compose.yml', '--formatter', 'json', '--disable-rule', ...disabled],
      { cwd: root },
    ).catch((error: { stdout: string }) => error);
    const report = JSON.parse(stdout) as { messages: { rule: string; message: string }[] }[];
    const messages = report.flatMap((file) => file.messages.map((m) => `${m.rule}: ${m.message}`));
    expect(messages).toEqual([]);
  });
});
