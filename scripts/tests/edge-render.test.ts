import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root, sh } from './support/nginx.js';

// scripts/render-nginx.sh writes the HTTP/2 switch in the form the target nginx knows, and the
// image's template variables (nginx/Dockerfile ENV) cover every placeholder of the templates.
const work = mkdtempSync(join(tmpdir(), 'homeport-edge-render-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

const templateVariables = (() => {
  const names = new Set<string>();
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else
        for (const match of readFileSync(path, 'utf8').matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g))
          names.add(match[1] ?? '');
    }
  };
  walk(join(root, 'nginx/templates'));
  return [...names].sort();
})();

/** A stand-in `nginx` binary that only reports `version`. */
function fakeNginx(version: string) {
  const path = join(work, `nginx-${version}`);
  writeFileSync(path, `#!/bin/sh\necho "nginx version: nginx/${version}" >&2\n`);
  chmodSync(path, 0o755);
  return path;
}

async function render(name: string, env: Record<string, string>) {
  const out = join(work, name);
  const values = Object.fromEntries(
    templateVariables.map((variable) => [variable, `/x/${variable}`]),
  );
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    ...values,
    NGINX_HTTPS_PORT: '8443',
    NGINX_HTTP_PORT: '8080',
  };
  delete base.NGINX_HTTP2_LISTEN;
  delete base.NGINX_HTTP2_DIRECTIVE;
  await sh('bash', [join(root, 'scripts/render-nginx.sh'), out], { ...base, ...env });
  return readFileSync(join(out, 'conf.d/homeport.conf'), 'utf8');
}

const listenLine = (conf: string) =>
  conf
    .split('\n')
    .find((line) => /listen 8443/.test(line))
    ?.trim();

describe('the HTTP/2 switch', () => {
  it('uses `http2 on;` for nginx 1.25.1 and newer (the image has 1.28)', async () => {
    for (const version of ['1.25.1', '1.28.0', '1.29.3']) {
      const conf = await render(`new-${version}`, { NGINX_BIN: fakeNginx(version) });
      expect(listenLine(conf), version).toMatch(/^listen 8443 ssl +default_server;$/);
      expect(conf).toMatch(/^\s*http2 on;$/m);
    }
  });

  it('uses `listen … ssl http2` before 1.25.1 (Debian 12 has 1.22)', async () => {
    for (const version of ['1.22.1', '1.24.0', '1.25.0']) {
      const conf = await render(`old-${version}`, { NGINX_BIN: fakeNginx(version) });
      expect(listenLine(conf), version).toBe('listen 8443 ssl http2 default_server;');
      expect(conf).not.toMatch(/^\s*http2 on;$/m);
    }
  });

  it("asks this machine's nginx when nothing says otherwise", async () => {
    const { stderr } = await sh('nginx', ['-v']);
    const conf = await render('native', {});
    const old = /nginx\/1\.(1?\d|2[0-4])\./.test(stderr) || /nginx\/1\.25\.0\b/.test(stderr);
    expect(listenLine(conf)).toBe(
      old ? 'listen 8443 ssl http2 default_server;' : 'listen 8443 ssl  default_server;',
    );
  });

  it('keeps values the environment sets', async () => {
    const conf = await render('explicit', {
      NGINX_BIN: fakeNginx('1.22.1'),
      NGINX_HTTP2_LISTEN: '',
      NGINX_HTTP2_DIRECTIVE: 'http2 on;',
    });
    expect(conf).toMatch(/^\s*http2 on;$/m);
  });
});

describe('the image', () => {
  const dockerfile = readFileSync(join(root, 'nginx/Dockerfile'), 'utf8');
  const env = (() => {
    const block = /^ENV ((?:.*\\\n)*.*)$/m.exec(dockerfile)?.[1] ?? '';
    return new Map(
      [...block.matchAll(/([A-Z][A-Z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)].map((match) => [
        match[1] ?? '',
        (match[2] ?? '').replace(/^"(.*)"$/, '$1'),
      ]),
    );
  })();

  it('sets every template variable (envsubst leaves an unset one as literal text)', () => {
    expect(templateVariables.filter((name) => !env.has(name))).toEqual([]);
  });

  it('runs nginx 1.25.1 or newer with `http2 on;`', () => {
    const version = /FROM nginxinc\/nginx-unprivileged:(\d+)\.(\d+)\.(\d+)/.exec(dockerfile);
    expect(version).not.toBeNull();
    const [major, minor, patch] = (version ?? []).slice(1).map(Number);
    expect((major ?? 0) * 1e6 + (minor ?? 0) * 1e3 + (patch ?? 0)).toBeGreaterThanOrEqual(1025001);
    expect(env.get('NGINX_HTTP2_LISTEN')).toBe('');
    expect(env.get('NGINX_HTTP2_DIRECTIVE')).toBe('http2 on;');
  });
});

describe('body limits agree with the backend', () => {
  const config = readFileSync(join(root, 'backend/src/config.ts'), 'utf8');
  const template = readFileSync(join(root, 'nginx/templates/homeport.conf.template'), 'utf8');
  const MiB = 1024 * 1024;

  /** The default of a backend setting, e.g. `default: 100 * 1024 * 1024`. */
  function backendDefault(name: string): number {
    const expression = new RegExp(`${name}: Type\\.Integer\\(\\{[^}]*default: ([\\d\\s*]+)`).exec(
      config,
    )?.[1];
    if (!expression) throw new Error(`no default for ${name} in backend/src/config.ts`);
    return expression.split('*').reduce((product, factor) => product * Number(factor.trim()), 1);
  }

  /** client_max_body_size of the block that starts at `opening` (the server's own: 'listen'). */
  function nginxLimit(opening: string): number {
    const block = template.slice(template.indexOf(opening));
    const value = /client_max_body_size (\d+)m;/.exec(block)?.[1];
    if (!value) throw new Error(`no client_max_body_size after ${opening}`);
    return Number(value) * MiB;
  }

  it('JSON routes: the backend body limit', () => {
    expect(nginxLimit('listen \u0024{NGINX_HTTPS_PORT}')).toBe(backendDefault('BODY_LIMIT_BYTES'));
  });

  it('POST /api/files: as many files of the largest purpose as one request may carry, plus 1 MiB', () => {
    const largest = Math.max(
      backendDefault('FILES_ATTACHMENT_MAX_BYTES'),
      backendDefault('FILES_AVATAR_MAX_BYTES'),
    );
    expect(nginxLimit('location = /api/files')).toBe(
      backendDefault('FILES_MULTIPART_MAX_FILES') * largest + MiB,
    );
  });

  it('upload forms to the bucket: the largest purpose plus 1 MiB of form fields', () => {
    expect(nginxLimit('location ^~ /\u0024{S3_BUCKET}/')).toBe(
      backendDefault('FILES_ATTACHMENT_MAX_BYTES') + MiB,
    );
  });
});
