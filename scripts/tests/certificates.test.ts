import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, recordingServer } from './support/http.js';
import {
  background,
  gatewayFiles,
  gatewayWorkspace,
  root,
  sh,
  startGateway,
} from './support/nginx.js';

// A real HTTP-01 issuance and renewal against Debian's pebble ACME server, through the
// project's nginx config (webroot on plain HTTP), certbot/entrypoint.sh and its deploy hook,
// and nginx/cert-watch.sh — the same pieces the compose services run.
const domain = 'homeport.test';
let work: string;
let httpsPort: number;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let upstream: Awaited<ReturnType<typeof recordingServer>>;
const stoppers: (() => Promise<void>)[] = [];
let certbotEnv: NodeJS.ProcessEnv;

/** SHA-256 fingerprint of the certificate nginx presents for `domain`. */
function servedFingerprint(): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: '127.0.0.1', port: httpsPort, servername: domain, rejectUnauthorized: false },
      () => {
        resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? '');
        socket.end();
      },
    );
    socket.on('error', reject);
  });
}

function installedFingerprint(): string {
  return new X509Certificate(readFileSync(join(work, 'certs/fullchain.pem'))).fingerprint256;
}

async function waitForServed(fingerprint: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await servedFingerprint()) === fingerprint) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`nginx never served ${fingerprint}`);
}

function nginxMasterPid(): string {
  return readFileSync(join(gateway.directory, 'nginx.pid'), 'utf8').trim();
}

beforeAll(async () => {
  const [httpPort, acmePort, managementPort, dnsPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  httpsPort = await freePort();
  work = await gatewayWorkspace('homeport-acme-test-', domain);
  upstream = await recordingServer();
  gateway = await startGateway({
    httpPort,
    httpsPort,
    backendServers: `server 127.0.0.1:${upstream.port};`,
    storageServers: `server 127.0.0.1:${upstream.port};`,
    bucket: 'homeport',
    ...gatewayFiles(work),
  });
  stoppers.push(() => gateway.stop().then(() => undefined));

  // pebble's own API certificate, trusted by certbot through REQUESTS_CA_BUNDLE.
  await sh('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-days',
    '2',
    '-keyout',
    join(work, 'pebble-key.pem'),
    '-out',
    join(work, 'pebble-cert.pem'),
  ]);
  writeFileSync(
    join(work, 'pebble.json'),
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${acmePort}`,
        managementListenAddress: `127.0.0.1:${managementPort}`,
        certificate: join(work, 'pebble-cert.pem'),
        privateKey: join(work, 'pebble-key.pem'),
        // HTTP-01 validation connects here: the project's nginx on its plain-HTTP port.
        httpPort,
        tlsPort: 5001,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  // Fake DNS: every name resolves to loopback, IPv4 only.
  const dns = background('pebble-challtestsrv', [
    '-dns01',
    `127.0.0.1:${dnsPort}`,
    '-http01',
    '',
    '-https01',
    '',
    '-tlsalpn01',
    '',
    '-management',
    `127.0.0.1:${await freePort()}`,
    '-defaultIPv6',
    '',
  ]);
  stoppers.push(dns.stop);
  const pebble = background(
    'pebble',
    ['-config', join(work, 'pebble.json'), '-dnsserver', `127.0.0.1:${dnsPort}`],
    { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' },
  );
  stoppers.push(pebble.stop);
  for (let attempt = 0; attempt < 100 && !pebble.output().includes('Listening on'); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const watcher = background(
    'sh',
    [join(root, 'nginx/cert-watch.sh'), join(work, 'certs'), ...gateway.args],
    { ...process.env, CERT_WATCH_INTERVAL: '1' },
  );
  stoppers.push(watcher.stop);

  certbotEnv = {
    ...process.env,
    DOMAIN: domain,
    LETSENCRYPT_EMAIL: `admin@${domain}`,
    TLS_DIR: join(work, 'certs'),
    ACME_WEBROOT: join(work, 'acme'),
    ACME_SERVER: `https://localhost:${acmePort}/dir`,
    ACME_UNTRUSTED: 'true',
    REQUESTS_CA_BUNDLE: join(work, 'pebble-cert.pem'),
    CERTBOT_CONFIG_DIR: join(work, 'letsencrypt'),
    CERTBOT_WORK_DIR: join(work, 'certbot-work'),
    CERTBOT_LOGS_DIR: join(work, 'certbot-logs'),
  };
});

afterAll(async () => {
  for (const stop of stoppers.reverse()) await stop();
  await upstream?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('certificates through pebble', () => {
  it('serves the self-signed certificate before any issuance', async () => {
    expect(await servedFingerprint()).toBe(installedFingerprint());
    const certificate = new X509Certificate(readFileSync(join(work, 'certs/fullchain.pem')));
    expect(certificate.issuer).toBe(certificate.subject);
  });

  it('issues over HTTP-01 through nginx and serves the new certificate without a restart', async () => {
    const masterBefore = nginxMasterPid();
    const selfSigned = installedFingerprint();
    await sh('sh', [join(root, 'certbot/entrypoint.sh'), 'issue'], certbotEnv);
    const issued = installedFingerprint();
    expect(issued).not.toBe(selfSigned);
    const certificate = new X509Certificate(readFileSync(join(work, 'certs/fullchain.pem')));
    expect(certificate.subjectAltName).toContain(`DNS:${domain}`);
    expect(certificate.issuer).toMatch(/Pebble/);
    await waitForServed(issued);
    expect(nginxMasterPid()).toBe(masterBefore);
    // A test CA is not publicly trusted: HSTS stays off.
    expect(readFileSync(join(work, 'certs/tls.conf'), 'utf8')).toContain('default "";');
  });

  it('renews (forced) and nginx picks the renewed certificate up on its own', async () => {
    const masterBefore = nginxMasterPid();
    const before = installedFingerprint();
    // Unattended `certbot renew` first sleeps up to 8 minutes to spread load on the CA.
    await sh(
      'sh',
      [
        join(root, 'certbot/entrypoint.sh'),
        'renew',
        '--force-renewal',
        '--no-random-sleep-on-renew',
      ],
      certbotEnv,
    );
    const renewed = installedFingerprint();
    expect(renewed).not.toBe(before);
    await waitForServed(renewed);
    expect(nginxMasterPid()).toBe(masterBefore);
  });
});
