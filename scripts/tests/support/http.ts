import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type Server,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * HTTP(S) request that accepts the self-signed certificate and never follows redirects. `path`
 * sends a request target exactly as given (a URL would resolve dot segments and `%2e`).
 */
export function request(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    path?: string;
  } = {},
): Promise<Reply> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        path: options.path ?? `${target.pathname}${target.search}`,
        servername: target.hostname,
        method: options.method ?? 'GET',
        headers: options.headers,
        rejectUnauthorized: false,
        // A fresh connection each time: a reload closes idle keep-alive connections.
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
}

/** A stand-in upstream that records every request it receives and answers 200 JSON. */
export async function recordingServer(): Promise<{
  port: number;
  requests: Recorded[];
  close: () => Promise<void>;
}> {
  const requests: Recorded[] = [];
  const server: Server = createServer((incoming, response) => {
    let bodyBytes = 0;
    incoming.on('data', (chunk: Buffer) => {
      bodyBytes += chunk.length;
    });
    incoming.on('end', () => {
      requests.push({
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        bodyBytes,
      });
      if (incoming.url?.includes('sse-probe=')) {
        // An event stream that sends one event and then holds the connection: a buffering proxy
        // would deliver nothing until the end.
        response.writeHead(200, { 'content-type': 'text/event-stream', 'x-accel-buffering': 'no' });
        response.write('id: 1\nevent: probe\ndata: {}\n\n');
        setTimeout(() => response.end(), 3000).unref();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ upstream: 'recorded', url: incoming.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A currently free loopback port. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A POST whose body is sent with `Transfer-Encoding: chunked` (no Content-Length), `bytes` long
 * in 64 KiB chunks. Resolves with the answer, or with status 0 when the connection failed before
 * one came (nginx may stop reading an oversized body and close).
 */
export function chunkedPost(
  url: string,
  bytes: number,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (reply: Reply) => {
      if (!settled) {
        settled = true;
        resolve(reply);
      }
    };
    const outgoing = send(
      target,
      { method: 'POST', headers, rejectUnauthorized: false, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          finish({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', () => finish({ status: 0, headers: {}, body: '' }));
      },
    );
    outgoing.on('error', () => finish({ status: 0, headers: {}, body: '' }));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let left = bytes;
    const pump = () => {
      while (left > 0) {
        const size = Math.min(left, chunk.length);
        left -= size;
        if (!outgoing.write(chunk.subarray(0, size))) {
          outgoing.once('drain', pump);
          return;
        }
      }
      outgoing.end();
    };
    pump();
  });
}

/**
 * Sends `raw` bytes as they are over TLS (no client-side checks: NUL bytes, duplicate headers,
 * absolute-form targets) and resolves with the status and body nginx wrote before closing.
 */
export function rawTlsRequest(port: number, raw: string | Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      socket.end(raw);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: IncomingHttpHeaders = {};
      for (const line of lines) {
        const index = line.indexOf(':');
        if (index > 0) headers[line.slice(0, index).toLowerCase()] = line.slice(index + 1).trim();
      }
      resolve({
        status: Number(statusLine.split(' ')[1] ?? 0),
        headers,
        body: rest.join('\r\n\r\n'),
      });
    });
  });
}
