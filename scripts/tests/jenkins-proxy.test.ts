import { createSocket, type Socket } from 'node:dgram';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type Reply, request } from './support/http.js';
import { gatewayFiles, gatewayWorkspace, startGateway, writeFileDeep } from './support/nginx.js';

// /jenkins/ through the rendered templates on Debian's nginx. In compose, nginx finds Jenkins by
// asking Docker's DNS for `jenkins` at request time; here a small DNS server plays that part, so
// the test covers both sides: nginx starting and answering while the name does not resolve (the
// ci profile is off), then proxying to a real HTTP server once the name resolves.
const jenkinsAddress = `127.${20 + Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 250)}.7`;

let work: string;
let base: string;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let dns: Socket;
let dnsPort: number;
let jenkins: Server;
const seenByJenkins: { url: string; headers: IncomingHttpHeaders }[] = [];

/** Answers A queries for `jenkins` with jenkinsAddress; every other name is NXDOMAIN. */
function startDns(): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    let offset = 12;
    const labels: string[] = [];
    let length = query[offset];
    while (length !== undefined && length !== 0) {
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += length + 1;
      length = query[offset];
    }
    const question = query.subarray(12, offset + 5);
    const type = query.readUInt16BE(offset + 1);
    const known = labels.join('.').toLowerCase() === 'jenkins';
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0);
    // Response, recursion desired and available; rcode 3 (NXDOMAIN) for unknown names.
    header.writeUInt16BE(known ? 0x8180 : 0x8183, 2);
    header.writeUInt16BE(1, 4);
    const answers = known && type === 1 ? 1 : 0;
    header.writeUInt16BE(answers, 6);
    const parts = [header, question];
    if (answers) {
      const answer = Buffer.alloc(16);
      answer.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      answer.writeUInt16BE(1, 2); // A
      answer.writeUInt16BE(1, 4); // IN
      answer.writeUInt32BE(1, 6); // TTL in seconds
      answer.writeUInt16BE(4, 10);
      jenkinsAddress.split('.').forEach((octet, index) => {
        answer[12 + index] = Number(octet);
      });
      parts.push(answer);
    }
    socket.send(Buffer.concat(parts), peer.port, peer.address);
  });
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket)));
}

/** Polls a URL until the reply satisfies the check (nginx applies a reload asynchronously). */
async function until(url: string, check: (reply: Reply) => boolean): Promise<Reply> {
  let reply = await request(url);
  for (let attempt = 0; attempt < 100 && !check(reply); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    reply = await request(url);
  }
  return reply;
}

beforeAll(async () => {
  work = await gatewayWorkspace('homeport-jenkins-proxy-test-');
  writeFileDeep(join(work, 'acme/.keep'), '');
  jenkins = createServer((incoming, response) => {
    seenByJenkins.push({ url: incoming.url ?? '', headers: incoming.headers });
    response.writeHead(200, { 'content-type': 'text/html', 'x-frame-options': 'sameorigin' });
    response.end('<title>Dashboard [Jenkins]</title>');
  });
  await new Promise<void>((resolve) => jenkins.listen(8080, jenkinsAddress, resolve));
  dns = await startDns();
  const address = dns.address();
  dnsPort = address.port;
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  gateway = await startGateway({
    httpPort,
    httpsPort,
    backendServers: 'server 127.0.0.1:9;',
    storageServers: 'server 127.0.0.1:9;',
    bucket: 'homeport-jenkins-proxy-test',
    ...gatewayFiles(work),
  });
  base = `https://localhost:${httpsPort}`;
});

afterAll(async () => {
  await gateway?.stop();
  dns?.close();
  await new Promise((resolve) => jenkins?.close(resolve));
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('/jenkins/ through nginx', () => {
  it('starts without Jenkins and answers 503 problem+json instead of the SPA', async () => {
    // The rendered resolver (127.0.0.1:53) has no server here: `jenkins` does not resolve,
    // exactly as when the ci profile is off.
    const reply = await request(`${base}/jenkins/login`);
    expect(reply.status).toBe(503);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.headers['retry-after']).toBe('30');
    expect(JSON.parse(reply.body)).toMatchObject({ status: 503, code: 'ci_unavailable' });
    expect(seenByJenkins).toEqual([]);
    const spa = await request(`${base}/`);
    expect(spa.status).toBe(200);
  });

  it('redirects /jenkins to /jenkins/ on the address the client used', async () => {
    const reply = await request(`${base}/jenkins`);
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe(`${base}/jenkins/`);
  });

  it('proxies to Jenkins once the name resolves, keeping the prefix and the client origin', async () => {
    const config = join(gateway.directory, 'conf/conf.d/homeport.conf');
    const rendered = readFileSync(config, 'utf8');
    expect(rendered).toContain('resolver 127.0.0.1 ');
    writeFileSync(
      config,
      rendered.replace('resolver 127.0.0.1 ', `resolver 127.0.0.1:${dnsPort} `),
    );
    await gateway.reload();
    const reply = await until(`${base}/jenkins/job/homeport/?probe=1`, (r) => r.status === 200);
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('Dashboard [Jenkins]');
    const seen = seenByJenkins.at(-1);
    expect(seen?.url).toBe('/jenkins/job/homeport/?probe=1');
    expect(seen?.headers.host).toBe(new URL(base).host);
    expect(seen?.headers['x-forwarded-proto']).toBe('https');
    expect(seen?.headers['x-forwarded-host']).toBe(new URL(base).host);
    expect(seen?.headers['x-forwarded-for']).toBe('127.0.0.1');
    // One X-Frame-Options, the site's own, and the rest of the security headers.
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });
});
