import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, recordingServer, request } from './support/http.js';
import { gatewayFiles, gatewayWorkspace, startGateway } from './support/nginx.js';
import { signAccessToken } from './support/tokens.js';

// A checkout in a directory other users cannot enter (a clone under /root, a mode-750 home):
// nginx started by root serves the SPA and reads the gateway key from inside it. Its workers
// must still reach them (scripts/render-nginx.sh), else every page is a 403 and every token
// check a 500.
let privateDir: string;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let backend: Awaited<ReturnType<typeof recordingServer>>;
let base: string;
let privateKey: string;

beforeAll(async () => {
  privateDir = mkdtempSync(join(tmpdir(), 'homeport-private-'));
  chmodSync(privateDir, 0o700);
  // Everything the gateway reads and renders lives inside it, as under .run/ of a checkout.
  const previousTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = privateDir;
  const work = await gatewayWorkspace('checkout-');
  privateKey = readFileSync(join(work, 'secrets/jwt_private_key.pem'), 'utf8');
  backend = await recordingServer();
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  gateway = await startGateway({
    httpPort,
    httpsPort,
    backendServers: `server 127.0.0.1:${backend.port};`,
    storageServers: `server 127.0.0.1:${backend.port};`,
    bucket: 'homeport',
    ...gatewayFiles(work),
  });
  if (previousTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmpdir;
  base = `https://localhost:${httpsPort}`;
});

afterAll(async () => {
  await gateway?.stop();
  await backend?.close();
  rmSync(privateDir, { recursive: true, force: true });
});

it('serves the SPA from a directory only its owner may enter', async () => {
  const reply = await request(`${base}/`);
  expect(reply.status).toBe(200);
  expect(reply.body).toContain('<title>Homeport</title>');
});

it('reads the gateway key from there: a valid token reaches the backend', async () => {
  const token = signAccessToken(privateKey, {});
  const reply = await request(`${base}/api/items`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(reply.status).toBe(200);
  expect(backend.requests.some((seen) => seen.url === '/api/items')).toBe(true);
});
