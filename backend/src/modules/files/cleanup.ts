import type { Database } from '../../db/client.js';
import type { Storage } from '../../lib/storage.js';
import { STAGING_PREFIX, userPrefixes } from './names.js';

/** An object nobody recorded is removed only after this long: uploads in progress are younger. */
export const ORPHAN_AGE_MS = 24 * 3600_000;
const BATCH = 500;
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

interface CleanupDependencies {
  db: Database;
  storage: Storage;
}

async function removeKeys(storage: Storage, keys: string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += BATCH) {
    await storage.client.removeObjects(storage.bucket, keys.slice(start, start + BATCH));
  }
}

/** Pending uploads past their expiry: the object (if one was sent) and the row go. */
export async function removeExpiredUploads(
  { db, storage }: CleanupDependencies,
  now = new Date(),
): Promise<number> {
  let removed = 0;
  for (;;) {
    const expired = await db.fileUpload.findMany({
      where: { expiresAt: { lt: now } },
      select: { id: true, key: true },
      take: BATCH,
    });
    if (expired.length === 0) return removed;
    const recorded = await db.storedFile.findMany({
      where: { key: { in: expired.map((upload) => upload.key) } },
      select: { key: true },
    });
    const keep = new Set(recorded.map((file) => file.key));
    await removeKeys(
      storage,
      expired.map((upload) => upload.key).filter((key) => !keep.has(key)),
    );
    const { count } = await db.fileUpload.deleteMany({
      where: { id: { in: expired.map((upload) => upload.id) } },
    });
    removed += count;
  }
}

/**
 * Objects under users/, public/users/ or staging/users/ that no file or pending upload refers to:
 * interrupted uploads, and forms posted again after their upload was completed.
 */
export async function removeOrphanObjects(
  { db, storage }: CleanupDependencies,
  olderThan = new Date(Date.now() - ORPHAN_AGE_MS),
): Promise<number> {
  let removed = 0;
  async function sweep(candidates: string[]) {
    const [files, uploads] = await Promise.all([
      db.storedFile.findMany({ where: { key: { in: candidates } }, select: { key: true } }),
      db.fileUpload.findMany({ where: { key: { in: candidates } }, select: { key: true } }),
    ]);
    const known = new Set([...files, ...uploads].map((row) => row.key));
    const orphans = candidates.filter((key) => !known.has(key));
    await removeKeys(storage, orphans);
    removed += orphans.length;
  }
  for (const prefix of ['users/', 'public/users/', `${STAGING_PREFIX}users/`]) {
    let candidates: string[] = [];
    for await (const object of storage.client.listObjectsV2(storage.bucket, prefix, true)) {
      if (!object.name || !object.lastModified || object.lastModified >= olderThan) continue;
      candidates.push(object.name);
      if (candidates.length >= BATCH) {
        await sweep(candidates);
        candidates = [];
      }
    }
    if (candidates.length > 0) await sweep(candidates);
  }
  return removed;
}

/**
 * Everything a deleted user stored: recorded files, pending uploads and any object under their
 * prefixes. Idempotent, so a retried job finishes what a failed one started.
 */
export async function removeUserFiles(
  { db, storage }: CleanupDependencies,
  userId: string,
): Promise<number> {
  if (!USER_ID.test(userId)) throw new Error('user.deleted carried an unusable user id');
  const [files, uploads] = await Promise.all([
    db.storedFile.findMany({ where: { userId }, select: { key: true } }),
    db.fileUpload.findMany({ where: { userId }, select: { key: true } }),
  ]);
  const keys = new Set([...files, ...uploads].map((row) => row.key));
  for (const prefix of userPrefixes(userId)) {
    for await (const object of storage.client.listObjectsV2(storage.bucket, prefix, true)) {
      if (object.name) keys.add(object.name);
    }
  }
  await removeKeys(storage, [...keys]);
  await db.$transaction([
    db.storedFile.deleteMany({ where: { userId } }),
    db.fileUpload.deleteMany({ where: { userId } }),
  ]);
  return keys.size;
}
