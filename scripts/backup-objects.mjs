#!/usr/bin/env node
// Copies every object of the bucket to a folder (export) or back (import), with a manifest of
// keys, sizes, content types and user metadata. Plain S3 calls only, so it works with MinIO,
// s3rver or any S3 service. Used by scripts/backup.sh and scripts/restore.sh, natively and
// inside the backend image.
// usage: node scripts/backup-objects.mjs export|import <folder>
// Environment: S3_ENDPOINT, S3_BUCKET, S3_REGION (us-east-1), S3_ACCESS_KEY[_FILE], S3_SECRET_KEY[_FILE]
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { Client } from 'minio';

const [mode, folder] = process.argv.slice(2);
if (!['export', 'import'].includes(mode) || !folder || process.argv.length !== 4) {
  console.error('usage: node scripts/backup-objects.mjs export|import <folder>');
  process.exit(64);
}

function setting(name, fallback) {
  const file = process.env[`${name}_FILE`];
  const value = file ? readFileSync(file, 'utf8').trim() : (process.env[name] ?? fallback);
  if (!value) {
    console.error(`backup-objects: ${name} (or ${name}_FILE) is required`);
    process.exit(64);
  }
  return value;
}

const endpoint = new URL(setting('S3_ENDPOINT'));
const bucket = setting('S3_BUCKET');
const client = new Client({
  endPoint: endpoint.hostname,
  port: Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80)),
  useSSL: endpoint.protocol === 'https:',
  accessKey: setting('S3_ACCESS_KEY'),
  secretKey: setting('S3_SECRET_KEY'),
  region: setting('S3_REGION', 'us-east-1'),
  pathStyle: true,
});
const objectsDir = resolve(folder, 'objects');
const manifestFile = join(folder, 'objects.json');

/** The file for a key; keys that would escape the folder are refused. */
function fileFor(key) {
  const path = resolve(objectsDir, key);
  if (!path.startsWith(objectsDir + sep)) throw new Error(`unsafe object key: ${key}`);
  return path;
}

function sha256(path) {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => done(hash.digest('hex')))
      .on('error', fail);
  });
}

async function exportObjects() {
  const keys = [];
  for await (const entry of client.listObjectsV2(bucket, '', true)) {
    if (entry.name) keys.push(entry.name);
  }
  const manifest = [];
  for (const key of keys) {
    const path = fileFor(key);
    mkdirSync(dirname(path), { recursive: true });
    const stat = await client.statObject(bucket, key);
    await client.fGetObject(bucket, key, path);
    manifest.push({ key, size: stat.size, sha256: await sha256(path), metaData: stat.metaData });
  }
  writeFileSync(manifestFile, `${JSON.stringify({ bucket, objects: manifest }, null, 2)}\n`);
  console.log(`backup-objects: exported ${manifest.length} object(s) from ${bucket}`);
}

async function importObjects() {
  const { objects } = JSON.parse(readFileSync(manifestFile, 'utf8'));
  if (!(await client.bucketExists(bucket)))
    await client.makeBucket(bucket, setting('S3_REGION', 'us-east-1'));
  for (const entry of objects) {
    const path = fileFor(entry.key);
    if ((await sha256(path)) !== entry.sha256)
      throw new Error(`${entry.key}: file does not match the manifest`);
    await client.fPutObject(bucket, entry.key, path, entry.metaData ?? {});
  }
  console.log(`backup-objects: imported ${objects.length} object(s) into ${bucket}`);
}

await (mode === 'export' ? exportObjects() : importObjects());
