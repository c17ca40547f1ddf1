/**
 * The test gateway as a process, for programs outside this workspace (the backend's benches):
 * starts the rendered templates on Debian's nginx in front of the given backend and storage,
 * prints one JSON line `{ "base", "caFile" }` once it answers, and stops nginx and removes its
 * folders on SIGTERM or SIGINT.
 *
 * usage: node --import tsx scripts/tests/support/gateway-cli.ts <backend host:port> \
 *          <storage host:port> <bucket> <public key PEM file>
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './http.js';
import { gatewayFiles, gatewayWorkspace, startGateway } from './nginx.js';

const [backend, storage, bucket, publicKeyFile] = process.argv.slice(2);
if (!backend || !storage || !bucket || !publicKeyFile) {
  console.error('usage: gateway-cli.ts <backend host:port> <storage host:port> <bucket> <key.pem>');
  process.exit(64);
}

const work = await gatewayWorkspace('homeport-gateway-cli-');
// The backend signs with its own key: the gateway verifies against that one.
copyFileSync(publicKeyFile, join(work, 'secrets/jwt_public_key.pem'));
const [httpPort, httpsPort] = [await freePort(), await freePort()];
const gateway = await startGateway({
  httpPort,
  httpsPort,
  backendServers: `server ${backend};`,
  storageServers: `server ${storage};`,
  bucket,
  ...gatewayFiles(work),
});

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await gateway.stop();
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
console.log(
  JSON.stringify({
    base: `https://localhost:${httpsPort}`,
    caFile: join(gatewayFiles(work).tlsDir, 'fullchain.pem'),
  }),
);
