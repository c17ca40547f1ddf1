import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../../lib/errors.js';
import {
  ContentTypeNotAllowedError,
  FileTooLargeError,
  UploadExpiredError,
  UploadRejectedError,
} from './errors.js';
import {
  objectKey,
  parseStagingKey,
  STAGING_PREFIX,
  sanitizeFilename,
  stagingKey,
} from './names.js';
import {
  EXTENSIONS,
  normalizeContentType,
  PUBLIC_CACHE_CONTROL,
  type Purpose,
} from './purposes.js';
import {
  type FilesDependencies,
  type FileView,
  type StoredFileRow,
  toFileView,
} from './settings.js';
import { copyCheckedObject, removeObjectQuietly, verifyObject } from './verify.js';

export interface UploadRequest {
  purpose: Purpose;
  filename: string;
  contentType: string;
  size: number;
}

export interface PresignedUpload {
  uploadId: string;
  /** Where the browser POSTs the form (multipart/form-data, the file as the last field `file`). */
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
  maxBytes: number;
}

type PendingUpload = NonNullable<
  Awaited<ReturnType<FilesDependencies['db']['fileUpload']['findUnique']>>
>;

export type EventOutcome = 'recorded' | 'already_recorded' | 'rejected' | 'expired' | 'unknown';

/** Checks a purpose's rules for a declared file; returns the normalised content type. */
export function checkDeclaredFile(
  { settings }: Pick<FilesDependencies, 'settings'>,
  purpose: Purpose,
  contentType: string,
  size: number,
  fields = { contentType: '/body/contentType', size: '/body/size' },
): string {
  const rule = settings.rules[purpose];
  const type = normalizeContentType(contentType);
  if (!rule.contentTypes.includes(type)) {
    throw new ContentTypeNotAllowedError(type, rule.contentTypes, fields.contentType);
  }
  if (size > rule.maxBytes) throw new FileTooLargeError(rule.maxBytes, fields.size);
  return type;
}

/** Where a purpose's recorded files of this user live. */
export function ownPrefix(userId: string, purpose: Purpose, isPublic: boolean): string {
  return `${isPublic ? 'public/' : ''}users/${userId}/${purpose}/`;
}

/** Where this user's forms for a purpose write. */
export function stagingPrefix(userId: string, purpose: Purpose): string {
  return `${STAGING_PREFIX}users/${userId}/${purpose}/`;
}

type Finished =
  | { kind: 'recorded'; file: StoredFileRow; staging?: string }
  | { kind: 'gone' }
  | { kind: 'expired' }
  | { kind: 'missing' }
  | { kind: 'rejected'; code: string; message: string };

// Completion holds a row lock while it checks and copies; a copy of the largest file must fit.
const FINISH_TRANSACTION = { maxWait: 10_000, timeout: 120_000 };

export function createUploadsService(deps: FilesDependencies) {
  const { db, storage, settings } = deps;

  /**
   * Checks the staging object of a pending upload, copies it to the file's final key (which no
   * presigned form can write) with metadata set here, checks the copy, and records the file.
   * The client's complete call and the storage webhook may race: a row lock on the pending
   * upload serialises them, and whoever comes second finds the file recorded. Idempotent.
   */
  async function finish(upload: PendingUpload): Promise<FileView> {
    const purpose = upload.purpose as Purpose;
    const rule = settings.rules[purpose];
    const extension = EXTENSIONS[upload.contentType] ?? 'bin';
    const finalKey = objectKey({
      userId: upload.userId,
      purpose,
      id: upload.id,
      extension,
      public: rule.public,
    });
    // Uploads started before forms wrote to staging/ are recorded where they are.
    const inPlace = upload.key === finalKey;
    const expected = {
      contentType: upload.contentType,
      declaredSize: Number(upload.declaredSize),
      rule,
    };
    const finished = await db.$transaction(async (tx): Promise<Finished> => {
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM file_uploads WHERE id = ${upload.id}::uuid FOR UPDATE`;
      const recorded = await tx.storedFile.findUnique({ where: { id: upload.id } });
      if (recorded) return { kind: 'recorded', file: recorded };
      if (locked.length === 0) return { kind: 'gone' };
      if (upload.expiresAt.getTime() <= Date.now()) {
        await removeObjectQuietly(storage, upload.key);
        await tx.fileUpload.deleteMany({ where: { id: upload.id } });
        return { kind: 'expired' };
      }
      const checked = await verifyObject(storage, {
        ...expected,
        key: upload.key,
        prefix: inPlace
          ? ownPrefix(upload.userId, purpose, rule.public)
          : stagingPrefix(upload.userId, purpose),
      });
      if (!checked.ok) {
        if (checked.missing) return { kind: 'missing' };
        // The pending row stays, so the client may upload again with the same form until it expires.
        await removeObjectQuietly(storage, upload.key);
        return { kind: 'rejected', code: checked.code, message: checked.message };
      }
      if (!inPlace) {
        const copied = await copyCheckedObject(
          storage,
          { key: upload.key, etag: checked.etag },
          {
            key: finalKey,
            contentType: upload.contentType,
            cacheControl: rule.public ? PUBLIC_CACHE_CONTROL : undefined,
          },
        );
        // What is recorded is the copy: check it too, for servers that ignore the copy condition.
        const copy = copied
          ? await verifyObject(storage, {
              ...expected,
              key: finalKey,
              prefix: ownPrefix(upload.userId, purpose, rule.public),
            })
          : undefined;
        if (!copy?.ok) {
          await removeObjectQuietly(storage, finalKey);
          await removeObjectQuietly(storage, upload.key);
          return copy && !copy.missing
            ? { kind: 'rejected', code: copy.code, message: copy.message }
            : {
                kind: 'rejected',
                code: 'upload_changed',
                message: 'The file changed while it was being checked; upload it again.',
              };
        }
      }
      const file = await tx.storedFile.create({
        data: {
          id: upload.id,
          userId: upload.userId,
          purpose: upload.purpose,
          key: finalKey,
          filename: upload.filename,
          contentType: upload.contentType,
          size: BigInt(checked.size),
        },
      });
      await tx.fileUpload.delete({ where: { id: upload.id } });
      return { kind: 'recorded', file, ...(inPlace ? {} : { staging: upload.key }) };
    }, FINISH_TRANSACTION);

    switch (finished.kind) {
      case 'recorded':
        // The form's object is no longer needed; if removing it fails, the orphan sweep will.
        if (finished.staging) await removeObjectQuietly(storage, finished.staging).catch(() => {});
        return toFileView(finished.file, settings);
      case 'gone':
        throw new NotFoundError('Upload');
      case 'expired':
        throw new UploadExpiredError();
      case 'missing':
        throw new UploadRejectedError('upload_missing', 'No file has been uploaded for this id.');
      case 'rejected':
        throw new UploadRejectedError(finished.code, finished.message);
    }
  }

  return {
    /** Creates a pending upload with a server-chosen key and a presigned POST policy for it. */
    async create(userId: string, request: UploadRequest): Promise<PresignedUpload> {
      const contentType = checkDeclaredFile(
        deps,
        request.purpose,
        request.contentType,
        request.size,
      );
      const rule = settings.rules[request.purpose];
      const id = randomUUID();
      const key = stagingKey({
        userId,
        purpose: request.purpose,
        id,
        extension: EXTENSIONS[contentType] ?? 'bin',
      });
      const expiresAt = new Date(Date.now() + settings.uploadExpirySeconds * 1000);
      const policy = storage.presigner.newPostPolicy();
      policy.setBucket(storage.bucket);
      policy.setKey(key);
      policy.setContentType(contentType);
      policy.setContentLengthRange(1, request.size);
      policy.setExpires(expiresAt);
      const presigned = await storage.presigner.presignedPostPolicy(policy);
      await db.fileUpload.create({
        data: {
          id,
          userId,
          purpose: request.purpose,
          key,
          filename: sanitizeFilename(request.filename),
          contentType,
          declaredSize: BigInt(request.size),
          expiresAt,
        },
      });
      return {
        uploadId: id,
        // `/<bucket>/`, not `/<bucket>`: nginx proxies the bucket as a path prefix with the slash.
        url: presigned.postURL.endsWith('/') ? presigned.postURL : `${presigned.postURL}/`,
        fields: presigned.formData,
        expiresAt: expiresAt.toISOString(),
        maxBytes: Math.min(request.size, rule.maxBytes),
      };
    },

    /** The client's "complete" call: only the owner may complete; twice gives the same file. */
    async complete(userId: string, uploadId: string): Promise<FileView> {
      const file = await db.storedFile.findFirst({ where: { id: uploadId, userId } });
      if (file) return toFileView(file, settings);
      const upload = await db.fileUpload.findFirst({ where: { id: uploadId, userId } });
      if (!upload) throw new NotFoundError('Upload');
      return finish(upload);
    },

    /** The storage server reported an object at `key`: record it if it belongs to an upload. */
    async completeByKey(key: string): Promise<EventOutcome> {
      const upload = await db.fileUpload.findUnique({ where: { key } });
      if (!upload) {
        // Objects written by POST /api/files and the copies made by completion have no pending
        // row; they were recorded by the request that wrote them.
        const file = await db.storedFile.findUnique({ where: { key }, select: { id: true } });
        if (file) return 'already_recorded';
        const staged = parseStagingKey(key);
        if (!staged) return 'unknown';
        // A form posted again after its upload was completed (or expired): nothing refers to
        // the object, and nothing ever will.
        await removeObjectQuietly(storage, key);
        const recorded = await db.storedFile.count({
          where: { id: staged.id, userId: staged.userId },
        });
        return recorded > 0 ? 'already_recorded' : 'unknown';
      }
      try {
        await finish(upload);
        return 'recorded';
      } catch (error) {
        if (error instanceof UploadExpiredError) return 'expired';
        if (error instanceof UploadRejectedError) return 'rejected';
        if (error instanceof NotFoundError) return 'unknown';
        throw error;
      }
    },
  };
}

export type UploadsService = ReturnType<typeof createUploadsService>;
