#!/usr/bin/env node
// First-run secrets: writes every secret Homeport needs into one directory, each only if absent,
// so a fresh install gets strong unique values and a restart never changes them. The compose
// `secrets` one-shot and scripts/stack.sh both run this file.
// usage: node scripts/generate-secrets.mjs <directory>
// Environment: DATABASE_HOST (postgres), DATABASE_PORT (5432), DATABASE_NAME (homeport),
// DATABASE_USER (homeport), SECRETS_GID (group that may read the files; unset = owner only).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

const directory = process.argv[2];
if (!directory || process.argv.length !== 3) {
  console.error('usage: node scripts/generate-secrets.mjs <directory>');
  process.exit(64);
}

const env = process.env;
const groupId = env.SECRETS_GID ? Number(env.SECRETS_GID) : undefined;
if (groupId !== undefined && !Number.isInteger(groupId)) {
  console.error('SECRETS_GID must be a numeric group id');
  process.exit(64);
}
const fileMode = groupId === undefined ? 0o600 : 0o640;

/** URL-safe random text; alphanumeric only so it survives URLs, env files and shell quoting. */
function randomToken(bytes) {
  return randomBytes(bytes * 2)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, Math.ceil((bytes * 4) / 3));
}

const created = [];

function writeSecret(name, value, mode = fileMode) {
  const path = join(directory, name);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, value, { mode, flag: 'wx' });
  if (groupId !== undefined) chownSync(temporary, process.getuid(), groupId);
  chmodSync(temporary, mode);
  // rename is atomic: a reader sees the whole secret or none.
  renameSync(temporary, path);
  created.push(name);
}

function ensure(name, make) {
  if (!existsSync(join(directory, name))) writeSecret(name, make());
  return readFileSync(join(directory, name), 'utf8').trim();
}

// Traversable but not listable by others: the public key (0644) is readable by exact path, e.g. by
// nginx workers under another user, while every other file stays owner/group-only.
const directoryMode = groupId === undefined ? 0o711 : 0o751;
mkdirSync(directory, { recursive: true, mode: directoryMode });
chmodSync(directory, directoryMode);

const databasePassword = ensure('postgres_password', () => randomToken(24));
ensure('database_url', () => {
  const user = env.DATABASE_USER ?? 'homeport';
  const host = env.DATABASE_HOST ?? 'postgres';
  const port = env.DATABASE_PORT ?? '5432';
  const name = env.DATABASE_NAME ?? 'homeport';
  return `postgres://${user}:${databasePassword}@${host}:${port}/${name}\n`;
});
ensure('s3_access_key', () => `homeport${randomToken(9)}`);
ensure('s3_secret_key', () => randomToken(30));
ensure('storage_webhook_secret', () => randomToken(32));
ensure('mail_webhook_secret', () => randomToken(32));
ensure('webhooks_encryption_key', () => randomToken(32));
ensure('mfa_encryption_key', () => randomToken(32));

const privateKeyFile = 'jwt_private_key.pem';
const publicKeyFile = 'jwt_public_key.pem';
if (!existsSync(join(directory, privateKeyFile)) || !existsSync(join(directory, publicKeyFile))) {
  // The pair is made together; a half-present pair (interrupted run) is replaced whole.
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  for (const name of [privateKeyFile, publicKeyFile]) {
    const path = join(directory, name);
    if (existsSync(path)) renameSync(path, `${path}.incomplete-pair`);
  }
  writeSecret(privateKeyFile, privateKey);
  // Public by nature: the gateway's nginx workers read it whatever user they run as.
  writeSecret(publicKeyFile, publicKey, 0o644);
}

console.log(
  created.length > 0
    ? `secrets: created ${created.join(', ')} in ${directory}`
    : `secrets: all present in ${directory}`,
);
