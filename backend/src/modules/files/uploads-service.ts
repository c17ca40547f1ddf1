import { randomUUID } from 'node:crypto';
import { Prisma } from '../../generated/prisma/client.js';
import { NotFoundError } from '../../lib/errors.js';
import {
  ContentTypeNotAllowedError,
  FileTooLargeError,
  UploadExpiredError,
  UploadRejectedError,
} from './errors.js';
import { objectKey, sanitizeFilename } from './names.js';
import {
  EXTENSIONS,
  normalizeContentType,
  PUBLIC_CACHE_CONTROL,
  type Purpose,
} from './purposes.js';
import { type FilesDependencies, type FileView, toFileView } from './settings.js';
import { removeObjectQuietly, verifyObject } from './verify.js';

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

export function ownPrefix(userId: string, purpose: Purpose, isPublic: boolean): string {
  return `${isPublic ? 'public/' : ''}users/${userId}/${purpose}/`;
}

export function createUploadsService(deps: FilesDependencies) {
  const { db, storage, settings } = deps;

  /** Verifies the object of a pending upload and records it as a file; idempotent. */
  async function finish(upload: PendingUpload): Promise<FileView> {
    const existing = await db.storedFile.findUnique({ where: { id: upload.id } });
    if (existing) return toFileView(existing, settings);
    if (upload.expiresAt.getTime() <= Date.now()) {
      await removeObjectQuietly(storage, upload.key);
      await db.fileUpload.deleteMany({ where: { id: upload.id } });
      throw new UploadExpiredError();
    }
    const purpose = upload.purpose as Purpose;
    const rule = settings.rules[purpose];
    const verification = await verifyObject(storage, {
      key: upload.key,
      prefix: ownPrefix(upload.userId, purpose, rule.public),
      contentType: upload.contentType,
      declaredSize: Number(upload.declaredSize),
      rule,
    });
    if (!verification.ok) {
      if (verification.missing) {
        throw new UploadRejectedError('upload_missing', 'No file has been uploaded for this id.');
      }
      // The pending row stays, so the client may upload again with the same form until it expires.
      await removeObjectQuietly(storage, upload.key);
      throw new UploadRejectedError(verification.code, verification.message);
    }
    try {
      const [file] = await db.$transaction([
        db.storedFile.create({
          data: {
            id: upload.id,
            userId: upload.userId,
            purpose: upload.purpose,
            key: upload.key,
            filename: upload.filename,
            contentType: upload.contentType,
            size: BigInt(verification.size),
          },
        }),
        db.fileUpload.deleteMany({ where: { id: upload.id } }),
      ]);
      return toFileView(file, settings);
    } catch (error) {
      // The webhook and the client's complete call raced; the other one recorded it.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        const file = await db.storedFile.findUnique({ where: { id: upload.id } });
        if (file) return toFileView(file, settings);
      }
      throw error;
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
      const key = objectKey({
        userId,
        purpose: request.purpose,
        id,
        extension: EXTENSIONS[contentType] ?? 'bin',
        public: rule.public,
      });
      const expiresAt = new Date(Date.now() + settings.uploadExpirySeconds * 1000);
      const policy = storage.presigner.newPostPolicy();
      policy.setBucket(storage.bucket);
      policy.setKey(key);
      policy.setContentType(contentType);
      policy.setContentLengthRange(1, request.size);
      policy.setExpires(expiresAt);
      if (rule.public) {
        policy.policy.conditions.push(['eq', '$Cache-Control', PUBLIC_CACHE_CONTROL]);
        policy.formData['Cache-Control'] = PUBLIC_CACHE_CONTROL;
      }
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
        // Objects written by POST /api/files have no pending row; their request records them.
        const file = await db.storedFile.findUnique({ where: { key }, select: { id: true } });
        return file ? 'already_recorded' : 'unknown';
      }
      try {
        await finish(upload);
        return 'recorded';
      } catch (error) {
        if (error instanceof UploadExpiredError) return 'expired';
        if (error instanceof UploadRejectedError) return 'rejected';
        throw error;
      }
    },
  };
}

export type UploadsService = ReturnType<typeof createUploadsService>;
