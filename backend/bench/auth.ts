/**
 * Auth figures on this machine: argon2id time per hash (and verify) with the production
 * parameters, and access-token (ES256 JWT) verifications per second through the same
 * @fastify/jwt verifier the `authenticate` plugin uses. No database or network is involved.
 * usage: npx tsx bench/auth.ts [hashes=20] [verifySeconds=3]
 */
import { generateKeyPairSync } from 'node:crypto';
import { cpus } from 'node:os';
import fastifyJwt from '@fastify/jwt';
import Fastify from 'fastify';
import { ARGON2_OPTIONS, hashPassword, verifyPassword } from '../src/modules/auth/passwords.js';

const hashes = Number(process.argv[2] ?? 20);
const verifySeconds = Number(process.argv[3] ?? 3);

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return `mean ${mean.toFixed(1)} ms, p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms`;
}

async function benchArgon2() {
  const password = 'correct horse battery staple';
  await hashPassword(password); // warm-up
  const hashTimes: number[] = [];
  let hash = '';
  for (let index = 0; index < hashes; index++) {
    const start = performance.now();
    hash = await hashPassword(`${password}-${index}`);
    hashTimes.push(performance.now() - start);
  }
  const verifyTimes: number[] = [];
  for (let index = 0; index < hashes; index++) {
    const start = performance.now();
    await verifyPassword(hash, `${password}-${hashes - 1}`);
    verifyTimes.push(performance.now() - start);
  }
  console.log(
    `argon2id m=${ARGON2_OPTIONS.memoryCost} KiB t=${ARGON2_OPTIONS.timeCost} p=${ARGON2_OPTIONS.parallelism}`,
  );
  console.log(`  hash:   ${stats(hashTimes)} (${hashes} runs)`);
  console.log(`  verify: ${stats(verifyTimes)} (${hashes} runs)`);
}

async function benchJwt() {
  const keys = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const app = Fastify();
  await app.register(fastifyJwt, {
    secret: { private: keys.privateKey, public: keys.publicKey },
    sign: {
      algorithm: 'ES256',
      kid: 'bench',
      iss: 'http://bench',
      aud: 'homeport',
      expiresIn: 600,
    },
    verify: {
      algorithms: ['ES256'],
      allowedIss: 'http://bench',
      allowedAud: 'homeport',
      requiredClaims: ['exp', 'iat', 'sub', 'sid'],
    },
  });
  await app.ready();
  const token = app.jwt.sign({ sub: 'user', sid: 'session', roles: ['member'] });
  let count = 0;
  const start = performance.now();
  const end = start + verifySeconds * 1000;
  while (performance.now() < end) {
    for (let index = 0; index < 100; index++) {
      app.jwt.decode(token, { complete: true });
      app.jwt.verify(token);
    }
    count += 100;
  }
  const perSecond = count / ((performance.now() - start) / 1000);
  console.log(`ES256 access-token verification (decode header + verify), one core:`);
  console.log(`  ${Math.round(perSecond)} verifications/s (${count} in ${verifySeconds} s)`);
  await app.close();
}

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
await benchArgon2();
await benchJwt();
