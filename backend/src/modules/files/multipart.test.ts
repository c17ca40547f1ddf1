import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';
import {
  listKeys,
  multipartBody,
  type Part,
  pdfBytes,
  pngBytes,
} from '../../../test/support/files.js';

const ctx = setupTestContext();
const LIMIT = 12 * 1024 * 1024;
let app: FastifyInstance;
let user: SignedInUser;

beforeAll(async () => {
  // A 12 MiB attachment limit: big enough for a real multi-part (8 MiB parts) upload.
  app = await ctx.buildApp({
    AUTH_AUTO_VERIFY: 'true',
    FILES_ATTACHMENT_MAX_BYTES: String(LIMIT),
    FILES_MULTIPART_MAX_FILES: '2',
  });
  user = await createSignedInUser(app, ctx);
});

async function post(parts: Part[], who: SignedInUser | null = user) {
  const { payload, headers } = await multipartBody(parts);
  return app.inject({
    method: 'POST',
    url: '/api/files',
    headers: { ...headers, ...(who ? who.headers : {}) },
    payload,
  });
}

function pdfPart(data: Buffer, filename = 'doc.pdf'): Part {
  return { name: 'file', filename, contentType: 'application/pdf', data };
}

const purpose = (value: string): Part => ({ name: 'purpose', value });

async function userKeys(): Promise<string[]> {
  return [
    ...(await listKeys(ctx.deps.storage, `users/${user.id}/`)),
    ...(await listKeys(ctx.deps.storage, `public/users/${user.id}/`)),
  ];
}

describe('POST /api/files (multipart, streamed to S3)', () => {
  it('stores a small and a multi-part file and returns their records', async () => {
    const small = pdfBytes(1000);
    const large = pdfBytes(LIMIT - 1);
    const response = await post([
      purpose('attachment'),
      pdfPart(small, '../../секрет.pdf'),
      pdfPart(large, 'big.pdf'),
    ]);
    expect(response.statusCode, response.body).toBe(201);
    const { items } = response.json() as {
      items: { id: string; size: number; filename: string }[];
    };
    expect(items.map((item) => [item.filename, item.size])).toEqual([
      ['секрет.pdf', small.length],
      ['big.pdf', large.length],
    ]);
    for (const item of items) {
      const row = await ctx.deps.db.storedFile.findUniqueOrThrow({ where: { id: item.id } });
      expect(row.key).toBe(`users/${user.id}/attachment/${item.id}.pdf`);
      const stat = await ctx.deps.storage.client.statObject(ctx.deps.storage.bucket, row.key);
      expect(stat.size).toBe(item.size);
    }
    // The multi-part object holds exactly the bytes sent.
    const stream = await ctx.deps.storage.client.getObject(
      ctx.deps.storage.bucket,
      `users/${user.id}/attachment/${items[1]?.id}.pdf`,
    );
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(large)).toBe(true);
  });

  it('aborts a file over the limit with 413 and leaves no object or row', async () => {
    const before = await userKeys();
    const rows = await ctx.deps.db.storedFile.count();
    const response = await post([
      purpose('attachment'),
      pdfPart(pdfBytes(2000), 'first.pdf'),
      pdfPart(pdfBytes(LIMIT + 1), 'too-big.pdf'),
    ]);
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe('file_too_large');
    expect(await userKeys()).toEqual(before);
    expect(await ctx.deps.db.storedFile.count()).toBe(rows);
  });

  it('answers 413 over real HTTP while the client is still sending, and keeps nothing', async () => {
    const before = await userKeys();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const boundary = `b${randomBytes(8).toString('hex')}`;
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/files',
      headers: {
        ...user.headers,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
    });
    const status = new Promise<{ status: number; body: string }>((resolve, reject) => {
      request.on('response', (response) => {
        let body = '';
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      // Writes after the answer may fail if the connection is cut (past the drain bound).
      request.on('error', (error) => {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EPIPE' && code !== 'ECONNRESET') reject(error);
      });
    });
    request.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nattachment\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.pdf"\r\n` +
        'Content-Type: application/pdf\r\n\r\n',
    );
    const chunk = pdfBytes(1024 * 1024);
    let answered = false;
    void status.then(() => {
      answered = true;
    });
    // Up to 3x the limit, but stop as soon as the server has answered.
    for (let sent = 0; sent < 3 * LIMIT && !answered && !request.destroyed; sent += chunk.length) {
      if (!request.write(chunk)) {
        // Node's client stops sending once it has the whole answer; so does this loop.
        await Promise.race([
          status,
          new Promise((resolve) => {
            request.once('drain', resolve);
            request.once('close', resolve);
          }),
        ]);
      }
    }
    request.end();
    const { status: code, body } = await status;
    expect(code).toBe(413);
    expect(JSON.parse(body).code).toBe('file_too_large');
    expect(await userKeys()).toEqual(before);
  });

  it('reads a refused upload to its end, so the 413 arrives without a reset', async () => {
    // A proxy in front (nginx) sends the whole body; a server that closes with bytes unread
    // resets the connection, and the proxy may lose the answer and report 502.
    if (!app.server.listening) await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const boundary = `b${randomBytes(8).toString('hex')}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nattachment\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.pdf"\r\n` +
        'Content-Type: application/pdf\r\n\r\n',
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const file = pdfBytes(2 * LIMIT);
    const refused = await new Promise<{ status: number; code: string }>((resolve, reject) => {
      const request = http.request(
        {
          agent,
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/files',
          headers: {
            ...user.headers,
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'content-length': head.length + file.length + tail.length,
          },
        },
        (response) => {
          let body = '';
          response.on('data', (chunk) => {
            body += chunk;
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, code: JSON.parse(body).code }),
          );
        },
      );
      request.on('error', reject);
      // Every byte, whatever the server has answered: no EPIPE or ECONNRESET may come back.
      request.write(head);
      request.write(file);
      request.end(tail);
    });
    expect(refused).toEqual({ status: 413, code: 'file_too_large' });
    // The server is still answering on the same agent.
    const next = await new Promise<number>((resolve, reject) => {
      const request = http.get(
        { agent, host: '127.0.0.1', port, path: '/api/files', headers: user.headers },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
    });
    agent.destroy();
    expect(next).toBe(200);
  });

  it('rejects too many files, wrong types and missing parts, keeping nothing', async () => {
    const before = await userKeys();
    const rows = await ctx.deps.db.storedFile.count();
    const cases: { parts: Part[]; status: number; code: string }[] = [
      {
        parts: [
          purpose('attachment'),
          pdfPart(pdfBytes()),
          pdfPart(pdfBytes()),
          pdfPart(pdfBytes()),
        ],
        status: 413,
        code: 'too_many_files',
      },
      {
        parts: [purpose('avatar'), pdfPart(pdfBytes())],
        status: 422,
        code: 'content_type_not_allowed',
      },
      {
        parts: [
          purpose('avatar'),
          { name: 'file', filename: 'x.png', contentType: 'image/png', data: pdfBytes(5000) },
        ],
        status: 422,
        code: 'upload_content_mismatch',
      },
      {
        parts: [purpose('attachment'), pdfPart(pngBytes(5000), 'fake.pdf')],
        status: 422,
        code: 'upload_content_mismatch',
      },
      { parts: [pdfPart(pdfBytes())], status: 400, code: 'purpose_required' },
      { parts: [purpose('backup'), pdfPart(pdfBytes())], status: 400, code: 'validation_failed' },
      { parts: [purpose('attachment')], status: 400, code: 'file_required' },
    ];
    for (const { parts, status, code } of cases) {
      const response = await post(parts);
      expect(response.statusCode, code).toBe(status);
      expect(response.json().code).toBe(code);
    }
    expect(await userKeys()).toEqual(before);
    expect(await ctx.deps.db.storedFile.count()).toBe(rows);
  });

  it('needs a signed-in user and a multipart body', async () => {
    const anonymous = await post([purpose('attachment'), pdfPart(pdfBytes())], null);
    expect(anonymous.statusCode).toBe(401);
    const json = await app.inject({
      method: 'POST',
      url: '/api/files',
      headers: user.headers,
      payload: { purpose: 'attachment' },
    });
    expect(json.statusCode).toBe(415);
    expect(json.json().code).toBe('unsupported_media_type');
  });
});
