import { randomUUID } from 'node:crypto';
import { AppError, BadRequestError } from '../../lib/errors.js';
import type { ParsedPart } from '../../lib/multipart.js';
import { FileTooLargeError, UploadRejectedError } from './errors.js';
import { objectKey, sanitizeFilename } from './names.js';
import { EXTENSIONS, PUBLIC_CACHE_CONTROL, PURPOSES, type Purpose } from './purposes.js';
import { type FilesDependencies, type FileView, toFileView } from './settings.js';
import { StreamLimitError, streamToObject } from './stream-upload.js';
import { checkDeclaredFile } from './uploads-service.js';
import { removeObjectQuietly } from './verify.js';

export class TooManyFilesError extends AppError {
  constructor(max: number) {
    super(413, 'too_many_files', `At most ${max} files may be sent in one request.`);
  }
}

interface Stored {
  id: string;
  key: string;
  purpose: Purpose;
  filename: string;
  contentType: string;
  size: number;
}

/**
 * `POST /api/files` for clients that cannot upload to S3 directly. Parts are handled in order:
 * the `purpose` field must come before the files. All or nothing: when any file fails, every
 * object this request wrote is removed and no row is created.
 */
export function createMultipartService(deps: FilesDependencies) {
  const { db, storage, settings } = deps;

  async function storePart(userId: string, purpose: Purpose, part: ParsedPart & { type: 'file' }) {
    const field = `/body/${part.fieldname}`;
    const contentType = checkDeclaredFile(deps, purpose, part.mimetype, 0, {
      contentType: field,
      size: field,
    });
    const rule = settings.rules[purpose];
    const id = randomUUID();
    const key = objectKey({
      userId,
      purpose,
      id,
      extension: EXTENSIONS[contentType] ?? 'bin',
      public: rule.public,
    });
    try {
      const { size } = await streamToObject(storage, part.file, {
        key,
        contentType,
        maxBytes: rule.maxBytes,
        ...(rule.public ? { cacheControl: PUBLIC_CACHE_CONTROL } : {}),
      });
      return { id, key, purpose, filename: sanitizeFilename(part.filename), contentType, size };
    } catch (error) {
      if (error instanceof StreamLimitError) {
        throw error.reason === 'too_large'
          ? new FileTooLargeError(rule.maxBytes, field)
          : new UploadRejectedError(
              'upload_content_mismatch',
              `The file's content is not ${contentType}.`,
              [{ field, message: `content does not match ${contentType}` }],
            );
      }
      throw error;
    }
  }

  return {
    async upload(userId: string, parts: AsyncIterable<ParsedPart>): Promise<FileView[]> {
      const stored: Stored[] = [];
      let purpose: Purpose | undefined;
      try {
        for await (const part of parts) {
          if (part.type === 'field') {
            if (part.fieldname !== 'purpose') continue;
            if (!PURPOSES.includes(part.value as Purpose)) {
              throw new BadRequestError('validation_failed', 'The purpose is not valid.', [
                { field: '/body/purpose', message: `must be one of: ${PURPOSES.join(', ')}` },
              ]);
            }
            purpose = part.value as Purpose;
            continue;
          }
          if (!purpose) {
            throw new BadRequestError(
              'purpose_required',
              'Send the `purpose` field before the files.',
              [{ field: '/body/purpose', message: 'must come before the first file' }],
            );
          }
          if (stored.length >= settings.multipartMaxFiles) {
            throw new TooManyFilesError(settings.multipartMaxFiles);
          }
          stored.push(await storePart(userId, purpose, part));
        }
        if (stored.length === 0) {
          throw new BadRequestError('file_required', 'The request contains no file.', [
            { field: '/body/file', message: 'is required' },
          ]);
        }
        const rows = await db.$transaction(
          stored.map((file) =>
            db.storedFile.create({ data: { ...file, userId, size: BigInt(file.size) } }),
          ),
        );
        return rows.map((row) => toFileView(row, settings));
      } catch (error) {
        await Promise.all(
          stored.map((file) => removeObjectQuietly(storage, file.key).catch(() => {})),
        );
        throw error;
      }
    },
  };
}

export type MultipartService = ReturnType<typeof createMultipartService>;
