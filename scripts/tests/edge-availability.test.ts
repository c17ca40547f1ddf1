import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastifyUpstream } from './support/fastify-upstream.js';
import { chunkedPost, freePort, request } from './support/http.js';
import { gatewayFiles, gatewayWorkspace, startGateway } from './support/nginx.js';
import { signAccessToken } from './support/tokens.js';

// Bodies and replicas: the rendered templates on Debian's nginx in front of two Fastify replicas
// with the backend's body limit, listed as scripts/stack.sh listed them before (max_fails=1,
// fail_timeout=5s: the strictest failure accounting), so a single counted failure shows.
let work: string;
let base: string;
let token: string;
let replicas: Awaited<ReturnType<typeof fastifyUpstream>>[];
let gateway: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  work = await gatewayWorkspace('homeport-edge-availability-');
  token = signAccessToken(readFileSync(join(work, 'secrets/jwt_private_key.pem'), 'utf8'));
  replicas = [await fastifyUpstream('a'), await fastifyUpstream('b')];
  const [httpPort, httpsPort, storagePort] = [await freePort(), await freePort(), await freePort()];
  gateway = await startGateway({
    httpPort,
    httpsPort,
    backendServers: replicas
      .map((replica) => `server 127.0.0.1:${replica.port} max_fails=1 fail_timeout=5s;`)
      .join(' '),
    storageServers: `server 127.0.0.1:${storagePort};`,
    bucket: 'homeport-edge-test',
    ...gatewayFiles(work),
  });
  base = `https://localhost:${httpsPort}`;
});

afterAll(async () => {
  await gateway?.stop();
  for (const replica of replicas ?? []) await replica.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

function expectTooLarge(reply: { status: number; headers: Record<string, unknown>; body: string }) {
  expect(reply.status).toBe(413);
  expect(reply.headers['content-type']).toBe('application/problem+json');
  expect(JSON.parse(reply.body)).toMatchObject({ status: 413, code: 'payload_too_large' });
}

describe('oversized bodies never take a replica out', () => {
  it('answers a burst of chunked 8 MB POSTs with 413 while a bystander gets no error', async () => {
    const servedBefore = replicas.map((replica) => replica.served());
    let bystanderErrors = 0;
    let bystanderRequests = 0;
    let bursting = true;
    const bystander = (async () => {
      while (bursting) {
        // 10 requests/s: well inside the per-address budget of requests without a token.
        await new Promise((resolve) => setTimeout(resolve, 100));
        const reply = await request(`${base}/api/health`);
        bystanderRequests++;
        if (reply.status !== 200) bystanderErrors++;
      }
    })();
    const burst = await Promise.all(
      Array.from({ length: 12 }, () =>
        chunkedPost(`${base}/api/auth/forgot-password`, 8 * 1024 * 1024, {
          'content-type': 'application/json',
        }),
      ),
    );
    // Keep asking through the window in which a replica marked down would stay down.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    bursting = false;
    await bystander;
    for (const reply of burst) expectTooLarge(reply);
    expect(bystanderRequests).toBeGreaterThan(10);
    expect(bystanderErrors).toBe(0);
    // The edge answered: no oversized body reached a replica.
    const servedDuring = replicas.map(
      (replica, index) => replica.served() - (servedBefore[index] ?? 0),
    );
    expect(servedDuring.reduce((sum, count) => sum + count, 0)).toBe(bystanderRequests);
  });

  it('answers an oversized Content-Length at once with 413', async () => {
    const reply = await request(`${base}/api/auth/forgot-password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(1024 * 1024 + 1, 0x20),
    });
    expectTooLarge(reply);
  });
});

describe('body limits per route', () => {
  it('passes a 1 MiB JSON body (the backend limit) to the backend', async () => {
    const reply = await request(`${base}/api/auth/forgot-password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@example.com', pad: 'x'.repeat(1024 * 1024 - 40) }),
    });
    expect(reply.status).toBe(202);
  });

  it('refuses a 2 MiB JSON body on a protected route with 413 problem+json', async () => {
    const json = { 'content-type': 'application/json' };
    const withToken = { ...json, authorization: `Bearer ${token}` };
    const body = Buffer.alloc(2 * 1024 * 1024, 0x20);
    // A declared length is refused before anything else; a chunked body once it is read.
    expectTooLarge(await request(`${base}/api/items`, { method: 'PUT', headers: json, body }));
    expectTooLarge(await request(`${base}/api/items`, { method: 'PUT', headers: withToken, body }));
    expectTooLarge(await chunkedPost(`${base}/api/items`, body.length, withToken));
    // Without a token the chunked body is never read: the token check answers first.
    const anonymous = await chunkedPost(`${base}/api/items`, body.length, json);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(anonymous.body)).toMatchObject({
      code: 'unauthorized',
      instance: '/api/items',
    });
  });

  it('streams a 2 MiB upload to POST /api/files with a token (no 500 from the token check)', async () => {
    const headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'multipart/form-data; boundary=x',
    };
    const sized = await request(`${base}/api/files`, {
      method: 'POST',
      headers,
      body: Buffer.alloc(2 * 1024 * 1024, 0x61),
    });
    expect(sized.status, sized.body).toBe(201);
    expect(JSON.parse(sized.body).bytes).toBe(2 * 1024 * 1024);
    const chunked = await chunkedPost(`${base}/api/files`, 2 * 1024 * 1024, headers);
    expect(chunked.status, chunked.body).toBe(201);
    expect(JSON.parse(chunked.body).bytes).toBe(2 * 1024 * 1024);
  });

  it('still asks for a token before a large upload is read', async () => {
    const reply = await request(`${base}/api/files`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: Buffer.alloc(2 * 1024 * 1024, 0x61),
    });
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body).code).toBe('unauthorized');
  });

  it('refuses an upload over what the backend could accept (5 files of 100 MiB) with 413', async () => {
    const reply = await request(`${base}/api/files`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(501 * 1024 * 1024 + 1),
      },
    }).catch(() => ({ status: 0, headers: {}, body: '' }));
    expectTooLarge(reply);
  });
});

describe('when nothing answers', () => {
  it('answers 502 problem+json, also for a request with a large body', async () => {
    // The storage upstream of this gateway is a closed port.
    for (const body of [undefined, Buffer.alloc(2 * 1024 * 1024, 0x61)]) {
      const reply = await request(`${base}/homeport-edge-test/`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
        body,
      });
      expect(reply.status).toBe(502);
      expect(reply.headers['content-type']).toBe('application/problem+json');
      expect(reply.headers['retry-after']).toBe('5');
      expect(JSON.parse(reply.body)).toMatchObject({ status: 502, code: 'upstream_unavailable' });
    }
  });
});

// Last: the cut uploads take both replicas out of the uploads upstream for fail_timeout.
describe('cut-off uploads never take a replica out for the rest of the API', () => {
  it('keeps a bystander error-free while replicas cut uploads off mid-body', async () => {
    let bystanderErrors = 0;
    let bystanderRequests = 0;
    let uploading = true;
    const bystander = (async () => {
      while (uploading) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const reply = await request(`${base}/api/health`);
        bystanderRequests++;
        if (reply.status !== 200) bystanderErrors++;
      }
    })();
    const uploads = await Promise.all(
      Array.from({ length: 6 }, () =>
        chunkedPost(`${base}/api/files?cutOver=${5 * 1024 * 1024}`, 20 * 1024 * 1024, {
          authorization: `Bearer ${token}`,
          'content-type': 'multipart/form-data; boundary=x',
        }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    uploading = false;
    await bystander;
    expect(bystanderRequests).toBeGreaterThan(10);
    expect(bystanderErrors).toBe(0);
    // The uploader learns its upload failed, as a problem (nginx may also close on it mid-body).
    for (const reply of uploads.filter((upload) => upload.status !== 0)) {
      expect(reply.status).toBe(502);
      expect(JSON.parse(reply.body).code).toBe('upstream_unavailable');
    }
    // And JSON requests are still served by both replicas.
    const served = replicas.map((replica) => replica.served());
    for (let i = 0; i < 6; i++) {
      expect((await request(`${base}/api/health`)).status).toBe(200);
    }
    expect(replicas.every((replica, index) => replica.served() > (served[index] ?? 0))).toBe(true);
  });
});
