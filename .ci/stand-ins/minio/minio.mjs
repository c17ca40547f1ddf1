// `minio server <dir> [--address host:port] [--console-address …]` on s3rver.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import S3rver from 's3rver';

// s3rver knows one account; give it the root credentials, as MinIO's root user.
const { DUMMY_ACCOUNT } = createRequire(import.meta.url)('s3rver/lib/models/account');

const args = process.argv.slice(2);
if (args[0] !== 'server' || !args[1]) {
  console.error('usage: minio server <dir> [--address :9000]');
  process.exit(2);
}
const directory = args[1];
const address = args[args.indexOf('--address') + 1] ?? ':9000';
const port = Number(address.split(':').pop() || 9000);
const fromFile = (name) =>
  process.env[name] ??
  (process.env[`${name}_FILE`]
    ? readFileSync(process.env[`${name}_FILE`], 'utf8').trim()
    : undefined);
const user = fromFile('MINIO_ROOT_USER');
const password = fromFile('MINIO_ROOT_PASSWORD');
if (!user || !password) {
  console.error('MINIO_ROOT_USER and MINIO_ROOT_PASSWORD (or their _FILE forms) are required');
  process.exit(1);
}
DUMMY_ACCOUNT.createKeyPair(user, password);
const webhook =
  process.env.MINIO_NOTIFY_WEBHOOK_ENABLE_HOMEPORT === 'on'
    ? {
        endpoint: process.env.MINIO_NOTIFY_WEBHOOK_ENDPOINT_HOMEPORT,
        token: process.env.MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_HOMEPORT,
      }
    : undefined;

// Path-style only: s3rver would otherwise take a host name such as `minio` for a bucket (CNAME style).
const s3 = new S3rver({
  directory,
  silent: true,
  allowMismatchedSignatures: true,
  vhostBuckets: false,
});
s3.on('event', (event) => {
  if (
    !webhook?.endpoint ||
    !String(event.Records?.[0]?.eventName ?? '').startsWith('ObjectCreated')
  )
    return;
  fetch(webhook.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(webhook.token ? { authorization: `Bearer ${webhook.token}` } : {}),
    },
    body: JSON.stringify(event),
  }).catch((error) => console.error(`webhook: ${error.message}`));
});
const handler = s3.callback();
createServer((request, response) => {
  if (request.url === '/minio/health/live' || request.url === '/minio/health/ready') {
    response.writeHead(200).end();
    return;
  }
  handler(request, response);
}).listen(port, '0.0.0.0', () => console.log(`S3 stand-in on :${port}, data in ${directory}`));
