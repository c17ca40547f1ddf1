import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { captured } from './support/regexp.js';

// How Jenkins runs: its start-up scripts (run natively), the Test and Build stages' scripts
// (against a recording stand-in for the Docker CLI) and its compose service.
const root = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const run = promisify(execFile);
type Yaml = Record<string, unknown>;

describe('jenkins start-up scripts', () => {
  const work = mkdtempSync(join(tmpdir(), 'homeport-jenkins-test-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('init-secrets.sh creates private random secrets once, never printing them', async () => {
    const dir = join(work, 'secrets');
    const first = await run('bash', [join(root, 'jenkins/init-secrets.sh'), dir]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const values = ['admin_password', 'gitlab_webhook_token'].map((name) => {
      const file = join(dir, name);
      expect(statSync(file).mode & 0o777, name).toBe(0o600);
      return readFileSync(file, 'utf8');
    });
    for (const value of values) {
      expect(value).toMatch(/^[A-Za-z0-9]{40}$/);
      expect(first.stderr + first.stdout).not.toContain(value);
    }
    expect(values[0]).not.toBe(values[1]);
    expect(readFileSync(join(dir, 'gitlab_api_token'), 'utf8')).toBe('');

    writeFileSync(join(dir, 'gitlab_api_token'), 'glpat-written-by-the-operator');
    const second = await run('bash', [join(root, 'jenkins/init-secrets.sh'), dir]);
    expect(second.stderr).toBe('');
    expect(readFileSync(join(dir, 'admin_password'), 'utf8')).toBe(values[0]);
    expect(readFileSync(join(dir, 'gitlab_webhook_token'), 'utf8')).toBe(values[1]);
    expect(readFileSync(join(dir, 'gitlab_api_token'), 'utf8')).toBe(
      'glpat-written-by-the-operator',
    );
  });

  async function entrypoint(env: Record<string, string>) {
    return run('bash', [join(root, 'jenkins/entrypoint.sh')], {
      env: { PATH: process.env.PATH, SECRETS: join(work, 'entry-secrets'), ...env },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
  }

  it('entrypoint.sh stops at once, naming the variable, when the repository is not set', async () => {
    const outcome = await entrypoint({ JENKINS_URL: 'https://ci.example.test/jenkins/' });
    expect(outcome.code).toBe(78);
    expect(outcome.stderr).toContain('GITLAB_REPO_URL');
    expect(existsSync(join(work, 'entry-secrets'))).toBe(false);
  });

  it('entrypoint.sh asks for GITLAB_URL when it cannot derive it from an SSH clone URL', async () => {
    const outcome = await entrypoint({
      JENKINS_URL: 'https://ci.example.test/jenkins/',
      GITLAB_REPO_URL: 'git@gitlab.example.test:team/homeport.git',
    });
    expect(outcome.code).toBe(78);
    expect(outcome.stderr).toContain('set GITLAB_URL');
  });
});

describe('scripts/ci-test.sh', () => {
  const work = mkdtempSync(join(tmpdir(), 'homeport-ci-test-test-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('hands the checks to a root container of CI_TEST_IMAGE sharing the checkout', async () => {
    const log = join(work, 'docker.log');
    const fake = join(work, 'docker');
    writeFileSync(fake, `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >>"${log}"\n`, { mode: 0o755 });
    await run('bash', [join(root, 'scripts/ci-test.sh')], {
      env: {
        PATH: process.env.PATH,
        DOCKER: fake,
        CI_TEST_IMAGE: 'node:22.20.0-bookworm',
        HOSTNAME: 'f00dcafe1234',
      },
    });
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    expect(readFileSync(log, 'utf8')).toBe(
      `run --rm --volumes-from f00dcafe1234 --workdir ${root} --shm-size 1g ` +
        `--env CI_TEST_IN_CONTAINER=1 --env CI_TEST_OWNER=${uid}:${gid} ` +
        'node:22.20.0-bookworm bash scripts/ci-test.sh\n',
    );
  });

  it('runs the project CI entry point inside the container', () => {
    const script = read('scripts/ci-test.sh');
    expect(script).toContain('bash .ci/run || status=$?');
    expect(existsSync(join(root, '.ci/run'))).toBe(true);
    expect(read('jenkins/Dockerfile')).toContain('CI_TEST_IMAGE=node:22.20.0-bookworm');
  });

  it('refuses arguments', async () => {
    const outcome = await run('bash', [join(root, 'scripts/ci-test.sh'), 'extra']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(outcome).toMatchObject({ code: 64 });
    expect((outcome as { stderr: string }).stderr).toContain('usage: ');
  });
});

describe('scripts/build-images.sh', () => {
  const work = mkdtempSync(join(tmpdir(), 'homeport-build-images-test-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const log = join(work, 'docker.log');
  const fake = join(work, 'docker');
  writeFileSync(fake, `#!/usr/bin/env bash\nprintf '%s|%s\\n' "$IMAGE_TAG" "$*" >>"${log}"\n`, {
    mode: 0o755,
  });
  const build = (args: string[]) =>
    run('bash', [join(root, 'scripts/build-images.sh'), ...args], {
      env: { PATH: process.env.PATH, DOCKER: fake },
    }).then(
      (result) => ({ code: 0, stderr: result.stderr }),
      (error: { code: number; stderr: string }) => error,
    );

  it('builds backend, nginx and certbot tagged with the 12-character commit', async () => {
    rmSync(log, { force: true });
    const outcome = await build(['0123456789abcdef0123456789abcdef01234567']);
    expect(outcome.code).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe(
      `0123456789ab|compose --project-directory ${root} -f ${root}/docker-compose.yml ` +
        'build backend nginx certbot\n',
    );
    expect(outcome.stderr).toContain('homeport/backend:0123456789ab');
  });

  it('refuses a missing or malformed tag without calling Docker', async () => {
    rmSync(log, { force: true });
    for (const args of [[], ['a b'], ['-x'], ['v1', 'v2']]) {
      const outcome = await build(args);
      expect(outcome.code, args.join(' ')).toBe(64);
      expect(outcome.stderr).toContain('usage: ');
    }
    expect(existsSync(log)).toBe(false);
  });
});

describe('docker-compose.yml jenkins service', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, Yaml>;
    volumes: Yaml;
  };
  const jenkins = compose.services.jenkins;
  if (!jenkins) throw new Error('docker-compose.yml has no jenkins service');

  it('is built from jenkins/, opt-in through the ci profile, runs as jenkins on the edge network', () => {
    expect(jenkins).toMatchObject({
      profiles: ['ci'],
      build: { context: 'jenkins' },
      user: 'jenkins',
      networks: ['edge'],
    });
    expect(existsSync(join(root, 'jenkins/Dockerfile'))).toBe(true);
    expect(jenkins.volumes).toContain('jenkins-home:/var/jenkins_home');
    expect(compose.volumes).toHaveProperty('jenkins-home');
  });

  it('passes what casc.yaml and deploy.sh read from the environment', () => {
    const environment = jenkins.environment as Record<string, string>;
    const cascText = read('jenkins/casc.yaml').replace(/^\s*#.*$/gm, '');
    const cascVariables = [...cascText.matchAll(/\$\{([A-Z_]+)(:-[^}]*)?\}/g)].map((match) =>
      captured(match),
    );
    for (const name of cascVariables) expect(environment, name).toHaveProperty(name);
    expect(environment.DEPLOY_CONNECT_TO).toBe('::nginx:8443');
    expect(environment.DEPLOY_STATE_DIR).toMatch(/^\/var\/jenkins_home\//);
    expect(environment.JENKINS_URL).toMatch(/\/jenkins\/$/);
  });

  it('checks health on the same /jenkins prefix nginx proxies', () => {
    expect((jenkins.healthcheck as { test: string[] }).test).toContain(
      'http://127.0.0.1:8080/jenkins/login',
    );
    const template = read('nginx/templates/homeport.conf.template');
    expect(template).toMatch(/location \^~ \/jenkins\/ \{/);
    expect(template).toContain('set $jenkins_upstream http://jenkins:8080;');
    expect(template).toContain('proxy_pass $jenkins_upstream;');
  });
});
