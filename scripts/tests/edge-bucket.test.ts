import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type Reply, request } from './support/http.js';
import { gatewayFiles, gatewayWorkspace, startGateway } from './support/nginx.js';

// The bucket path through the edge in front of the test services' S3 server (s3rver natively,
// which checks no signature or policy): only the shapes of presigned URLs and upload forms pass.
const bucket = `edge-bucket-${randomUUID().slice(0, 8)}`;
const privateKey = 'users/u1/attachment/private.txt';
const publicKey = 'public/users/u1/avatar/avatar.png';
let work: string;
let base: string;
let direct: Client;
let presigner: Client;
let gateway: Awaited<ReturnType<typeof startGateway>>;

function s3Settings() {
  const endpoint = process.env.S3_ENDPOINT;
  const accessKey = process.env.S3_ACCESS_KEY;
  const secretKey = process.env.S3_SECRET_KEY;
  if (!endpoint || !accessKey || !secretKey) {
    throw new Error(
      'S3_ENDPOINT, S3_ACCESS_KEY and S3_SECRET_KEY must be set (.run/test-services.env)',
    );
  }
  return { endpoint: new URL(endpoint), accessKey, secretKey };
}

beforeAll(async () => {
  const s3 = s3Settings();
  const credentials = {
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    region: 'us-east-1',
    pathStyle: true,
  };
  direct = new Client({
    endPoint: s3.endpoint.hostname,
    port: Number(s3.endpoint.port),
    useSSL: false,
    ...credentials,
  });
  await direct.makeBucket(bucket, 'us-east-1');
  await direct.putObject(bucket, privateKey, Buffer.from('private'));
  await direct.putObject(bucket, publicKey, Buffer.from('public'));
  work = await gatewayWorkspace('homeport-edge-bucket-');
  const [httpPort, httpsPort, backendPort] = [await freePort(), await freePort(), await freePort()];
  gateway = await startGateway({
    httpPort,
    httpsPort,
    backendServers: `server 127.0.0.1:${backendPort};`,
    storageServers: `server ${s3.endpoint.host};`,
    bucket,
    ...gatewayFiles(work),
  });
  base = `https://localhost:${httpsPort}`;
  presigner = new Client({ endPoint: 'localhost', port: httpsPort, useSSL: true, ...credentials });
});

afterAll(async () => {
  await gateway?.stop();
  if (direct) {
    const names: string[] = [];
    for await (const item of direct.listObjectsV2(bucket, '', true)) {
      if (item.name) names.push(item.name);
    }
    for (const name of names) await direct.removeObject(bucket, name);
    await direct.removeBucket(bucket);
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

function expectProblem(reply: Reply, status: number, code: string) {
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toBe('application/problem+json');
  expect(JSON.parse(reply.body)).toMatchObject({ status, code });
}

async function stillStored(key: string, body: string) {
  const stream = await direct.getObject(bucket, key);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).toString()).toBe(body);
}

function form(fields: Record<string, string>, file: Buffer) {
  const boundary = `----homeport${randomUUID()}`;
  const parts = Object.entries(fields).map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const body = Buffer.concat([
    Buffer.from(parts.join('')),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('what passes', () => {
  it('serves public objects without a signature', async () => {
    const reply = await request(`${base}/${bucket}/${publicKey}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('public');
    expect((await request(`${base}/${bucket}/${publicKey}`, { method: 'HEAD' })).status).toBe(200);
  });

  it('serves a private object through a presigned GET', async () => {
    const url = await presigner.presignedGetObject(bucket, privateKey, 60, {
      'response-content-disposition': 'attachment; filename="private.txt"',
    });
    const reply = await request(url);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('private');
  });

  it('takes an upload form posted to the bucket root', async () => {
    const key = `users/u1/attachment/${randomUUID()}.txt`;
    const policy = presigner.newPostPolicy();
    policy.setBucket(bucket);
    policy.setKey(key);
    policy.setContentType('text/plain');
    policy.setContentLengthRange(1, 1024);
    policy.setExpires(new Date(Date.now() + 60_000));
    const presigned = await presigner.presignedPostPolicy(policy);
    expect(presigned.postURL.replace(/\/?$/, '/')).toBe(`${base}/${bucket}/`);
    const { body, contentType } = form(presigned.formData, Buffer.from('uploaded'));
    const reply = await request(`${base}/${bucket}/`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    expect(reply.status, reply.body).toBeLessThan(300);
    await stillStored(key, 'uploaded');
  });

  it('refuses PUT even when presigned: uploads are forms', async () => {
    const key = `users/u1/attachment/${randomUUID()}.txt`;
    const url = await presigner.presignedPutObject(bucket, key, 60);
    const reply = await request(url, { method: 'PUT', body: 'put' });
    expectProblem(reply, 405, 'method_not_allowed');
    expect(reply.headers.allow).toBe('GET, HEAD, POST');
  });
});

describe('what the edge refuses', () => {
  it.each([
    ['GET', '/'],
    ['GET', '/?list-type=2'],
    ['GET', '/?prefix=users/&delimiter=/'],
    ['GET', '/?uploads'],
    ['GET', '/?versions'],
    ['GET', '/?acl'],
    ['GET', '/?policy'],
    ['HEAD', '/'],
    ['GET', `/${privateKey}`],
    ['HEAD', `/${privateKey}`],
    ['GET', `/${privateKey}?X-Amz-Signature=`],
    ['GET', `/${privateKey}?acl&X-Amz-Signature=abc`],
    ['GET', `/${privateKey}?X-Amz-Signature=abc&uploadId=1`],
    ['GET', `/${publicKey}?acl`],
    ['GET', `/${publicKey}?list-type=2`],
    ['POST', '/?delete'],
    ['POST', `/${privateKey}?uploads`],
    ['POST', `/${privateKey}`],
  ])('%s <bucket>%s → 403 problem+json', async (method, path) => {
    const reply = await request(base, {
      method,
      path: `/${bucket}${path}`,
    });
    if (method === 'HEAD') expect(reply.status).toBe(403);
    else expectProblem(reply, 403, 'forbidden');
    await stillStored(privateKey, 'private');
    await stillStored(publicKey, 'public');
  });

  it('refuses a form that is not multipart/form-data', async () => {
    for (const contentType of [
      'application/xml',
      'application/x-www-form-urlencoded',
      'text/plain',
    ]) {
      const reply = await request(`${base}/${bucket}/`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: '<Delete><Object><Key>x</Key></Object></Delete>',
      });
      expectProblem(reply, 403, 'forbidden');
    }
  });

  it.each(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND'])(
    '%s → 405 problem+json',
    async (method) => {
      for (const path of [`/${privateKey}`, `/${privateKey}?X-Amz-Signature=abc`, '/']) {
        const reply = await request(base, {
          method,
          path: `/${bucket}${path}`,
          body: method === 'PUT' ? 'overwritten' : undefined,
        });
        expectProblem(reply, 405, 'method_not_allowed');
        expect(reply.headers.allow).toBe('GET, HEAD, POST');
      }
      await stillStored(privateKey, 'private');
    },
  );

  it.each([
    `/public/../${privateKey}`,
    `/public/..%2F${privateKey.replace(/\//g, '%2F')}`,
    `/public/%2e%2e/${privateKey}`,
    `/public//../${privateKey}`,
    `/public\\..\\${privateKey}`,
  ])('refuses the path trick <bucket>%s with 400', async (path) => {
    const reply = await request(base, { path: `/${bucket}${path}` });
    expectProblem(reply, 400, 'invalid_path');
  });

  it('refuses a form body larger than the largest purpose allows', async () => {
    const reply = await request(`${base}/${bucket}/`, {
      method: 'POST',
      headers: {
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(101 * 1024 * 1024 + 1),
      },
    }).catch(() => ({ status: 0, headers: {}, body: '' }));
    expectProblem(reply, 413, 'payload_too_large');
  });
});
