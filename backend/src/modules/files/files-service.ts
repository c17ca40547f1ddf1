import { NotFoundError } from '../../lib/errors.js';
import { decodeCursor, encodeCursor, invalidCursor } from '../../lib/pagination.js';
import { contentDisposition } from './names.js';
import type { FileCaller, Purpose } from './purposes.js';
import { DELETE_OBJECT_QUEUE } from './queues.js';
import { type FilesDependencies, type FileView, toFileView } from './settings.js';

export interface Download {
  url: string;
  /** When the URL stops working; null for public files, whose URL does not expire. */
  expiresAt: string | null;
  file: FileView;
}

function parseCursor(cursor: string): { createdAt: Date; id: string } {
  const [time, id] = decodeCursor(cursor).split('|');
  const createdAt = new Date(time ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw invalidCursor();
  return { createdAt, id };
}

export function createFilesService({
  db,
  storage,
  jobs,
  settings,
  access = {},
}: FilesDependencies) {
  async function findReadable(userId: string, id: string) {
    // A file the caller may not read answers exactly like a missing one, so ids cannot be probed.
    const file = await db.storedFile.findUnique({ where: { id } });
    const hook = file ? access[file.purpose as Purpose] : undefined;
    const allowed =
      file && (file.userId === userId || (hook ? await hook.canRead(userId, file) : false));
    if (!file || !allowed) throw new NotFoundError('File');
    return file;
  }

  return {
    /** A short-lived presigned GET that saves the file under its original name. */
    async download(userId: string, id: string): Promise<Download> {
      const file = await findReadable(userId, id);
      const view = toFileView(file, settings);
      if (view.publicUrl) return { url: view.publicUrl, expiresAt: null, file: view };
      const url = await storage.presigner.presignedGetObject(
        storage.bucket,
        file.key,
        settings.downloadExpirySeconds,
        {
          'response-content-disposition': contentDisposition(file.filename, 'attachment'),
          'response-content-type': file.contentType,
        },
      );
      const expiresAt = new Date(Date.now() + settings.downloadExpirySeconds * 1000);
      return { url, expiresAt: expiresAt.toISOString(), file: view };
    },

    /** The caller's files, newest first. */
    async list(
      userId: string,
      query: { limit: number; cursor?: string | undefined; purpose?: Purpose | undefined },
    ) {
      const after = query.cursor ? parseCursor(query.cursor) : undefined;
      const rows = await db.storedFile.findMany({
        where: {
          userId,
          ...(query.purpose ? { purpose: query.purpose } : {}),
          ...(after
            ? {
                OR: [
                  { createdAt: { lt: after.createdAt } },
                  { createdAt: after.createdAt, id: { lt: after.id } },
                ],
              }
            : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map((row) => toFileView(row, settings)),
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor(`${last.createdAt.toISOString()}|${last.id}`)
            : null,
      };
    },

    /**
     * Removes the row now and the object through a retried job, enqueued in the same transaction:
     * the object is removed exactly when the row is gone, even if S3 is briefly unavailable.
     */
    async remove(caller: FileCaller, id: string): Promise<void> {
      await db.$transaction(async (tx) => {
        const file = await tx.storedFile.findUnique({
          where: { id },
          select: { id: true, key: true, userId: true, purpose: true },
        });
        const hook = file ? access[file.purpose as Purpose] : undefined;
        const allowed =
          file &&
          (hook ? await hook.beforeDelete(tx, caller, file) : file.userId === caller.userId);
        if (!file || !allowed) throw new NotFoundError('File');
        await tx.storedFile.delete({ where: { id } });
        await jobs.send(tx, DELETE_OBJECT_QUEUE, { key: file.key });
      });
    },
  };
}

export type FilesService = ReturnType<typeof createFilesService>;
