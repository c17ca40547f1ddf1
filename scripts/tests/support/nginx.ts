import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const root = join(import.meta.dirname, '../../..');
const run = promisify(execFile);

export interface GatewayOptions {
  httpPort: number;
  httpsPort: number;
  backendServers: string;
  storageServers: string;
  publicKeyFile: string;
  bucket: string;
  spaRoot: string;
  tlsDir: string;
  acmeRoot: string;
}

/**
 * A new folder (named from `prefix`) holding what the gateway reads: fresh secrets from
 * scripts/generate-secrets.mjs (the JWT key pair among them), a self-signed certificate for
 * `domain` and a one-line SPA. The caller removes it.
 */
export async function gatewayWorkspace(prefix: string, domain = 'localhost'): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), prefix));
  // nginx workers run as another user (nobody) and must reach the SPA, webroot and public key.
  chmodSync(work, 0o755);
  await sh('node', [join(root, 'scripts/generate-secrets.mjs'), join(work, 'secrets')]);
  await sh('python3', [join(root, 'certbot/tls.py'), 'self-signed', join(work, 'certs'), domain]);
  writeFileDeep(join(work, 'spa/index.html'), '<!doctype html><title>Homeport</title>');
  return work;
}

/** The startGateway options that name files in a gatewayWorkspace folder. */
export function gatewayFiles(
  work: string,
): Pick<GatewayOptions, 'publicKeyFile' | 'spaRoot' | 'tlsDir' | 'acmeRoot'> {
  return {
    publicKeyFile: join(work, 'secrets/jwt_public_key.pem'),
    spaRoot: join(work, 'spa'),
    tlsDir: join(work, 'certs'),
    acmeRoot: join(work, 'acme'),
  };
}

/** Renders nginx/templates with scripts/render-nginx.sh and starts Debian's nginx on them. */
export async function startGateway(options: GatewayOptions) {
  const directory = mkdtempSync(join(tmpdir(), 'homeport-gateway-'));
  // The workers (another user) spool request bodies into temp/, which nginx creates for them.
  chmodSync(directory, 0o755);
  mkdirSync(join(directory, 'temp'));
  const env = {
    ...process.env,
    NGINX_MODULES_DIR: '/usr/lib/nginx/modules',
    NGINX_PID_FILE: join(directory, 'nginx.pid'),
    NGINX_ERROR_LOG: join(directory, 'error.log'),
    NGINX_ACCESS_LOG: join(directory, 'access.log'),
    NGINX_TEMP_DIR: join(directory, 'temp'),
    NGINX_RESOLVER: '127.0.0.1',
    NGINX_HTTP_PORT: String(options.httpPort),
    NGINX_HTTPS_PORT: String(options.httpsPort),
    NGINX_NJS_DIR: join(root, 'nginx/njs'),
    BACKEND_UPSTREAM_SERVERS: options.backendServers,
    STORAGE_UPSTREAM_SERVERS: options.storageServers,
    TLS_DIR: options.tlsDir,
    ACME_WEBROOT: options.acmeRoot,
    SPA_ROOT: options.spaRoot,
    PUBLIC_HTTPS_PORT_SUFFIX: `:${options.httpsPort}`,
    S3_BUCKET: options.bucket,
    GATEWAY_PUBLIC_KEY_FILE: options.publicKeyFile,
  };
  const conf = join(directory, 'conf');
  await run('bash', [join(root, 'scripts/render-nginx.sh'), conf], { env });
  const args = [
    '-p',
    `${conf}/`,
    '-c',
    join(conf, 'nginx.conf'),
    '-e',
    join(directory, 'error.log'),
  ];
  await run('nginx', [...args, '-t', '-q']);
  await run('nginx', args);
  return {
    directory,
    args,
    reload: () => run('nginx', [...args, '-s', 'reload']),
    stop: async () => {
      await run('nginx', [...args, '-s', 'quit']).catch(() => undefined);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Writes a file, creating its folder. */
export function writeFileDeep(path: string, content: string) {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
}

/** Runs a command and resolves with its output; rejects with stderr included. */
export async function sh(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  try {
    return await run(command, args, { env, cwd: root, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} failed: ${failure.message}\n${failure.stdout ?? ''}\n${failure.stderr ?? ''}`,
    );
  }
}

/** Starts a long-running process and returns a stopper (SIGTERM, then wait). */
export function background(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(command, args, { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  return {
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
