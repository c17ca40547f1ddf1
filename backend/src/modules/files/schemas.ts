import { Type } from 'typebox';
import { PageQuerySchema } from '../../lib/pagination.js';
import { PATTERNS } from '../../lib/patterns.js';
import { MAX_FILENAME_LENGTH } from './names.js';

export const PurposeSchema = Type.Union(
  [Type.Literal('avatar'), Type.Literal('attachment'), Type.Literal('task_attachment')],
  {
    description:
      '`avatar`: public image; `attachment`: private document or image; `task_attachment`: ' +
      "a task's attachment, readable by the task's board",
  },
);

export const FileIdSchema = Type.String({ format: 'uuid' });

export const FileSchema = Type.Object(
  {
    id: FileIdSchema,
    purpose: PurposeSchema,
    filename: Type.String({ description: 'Sanitised original name, used when downloading' }),
    contentType: Type.String(),
    size: Type.Integer({ minimum: 0, description: 'Bytes' }),
    createdAt: Type.String({ format: 'date-time' }),
    publicUrl: Type.Union([Type.String(), Type.Null()], {
      description: 'Anonymous URL for public purposes (avatars); null for private files',
    }),
  },
  { $id: 'File', title: 'File' },
);

export const FileRef = Type.Ref('File');

export const CreateUploadBodySchema = Type.Object(
  {
    purpose: PurposeSchema,
    filename: Type.String({
      minLength: 1,
      maxLength: 1024,
      description: `Display name; sanitised and cut to ${MAX_FILENAME_LENGTH} characters, never used in the key`,
    }),
    contentType: Type.String({ minLength: 3, maxLength: 255, pattern: PATTERNS.mediaType.source }),
    size: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Bytes' }),
  },
  { additionalProperties: false },
);

export const PresignedUploadSchema = Type.Object({
  uploadId: FileIdSchema,
  url: Type.String({ description: 'POST the form here as multipart/form-data' }),
  fields: Type.Record(Type.String(), Type.String(), {
    description: 'Send every field as given, then the file as the last field, named `file`',
  }),
  expiresAt: Type.String({ format: 'date-time' }),
  maxBytes: Type.Integer({ description: 'Largest file the form accepts' }),
});

export const UploadParamsSchema = Type.Object({ id: FileIdSchema });
export const FileParamsSchema = Type.Object({ id: FileIdSchema });

export const DownloadQuerySchema = Type.Object({
  redirect: Type.Boolean({
    default: false,
    description: 'true: answer 302 to the URL; false: answer the URL as JSON',
  }),
});

export const DownloadSchema = Type.Object({
  url: Type.String({ description: 'Presigned GET (private files) or the public URL' }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  file: FileRef,
});

export const ListFilesQuerySchema = Type.Object({
  ...PageQuerySchema.properties,
  purpose: Type.Optional(PurposeSchema),
});

export const MultipartBodySchema = Type.Object({
  purpose: PurposeSchema,
  file: Type.String({
    format: 'binary',
    description: 'One or more file parts, after `purpose`; each is checked as it streams',
  }),
});

export const FileListSchema = Type.Object({ items: Type.Array(FileRef) });

/** The S3 event notification format (AWS and MinIO); unknown members are ignored. */
export const StorageEventBodySchema = Type.Object({
  Records: Type.Array(
    Type.Object({
      eventName: Type.String({ maxLength: 200 }),
      s3: Type.Object({
        bucket: Type.Object({ name: Type.String({ maxLength: 255 }) }),
        object: Type.Object({ key: Type.String({ minLength: 1, maxLength: 2048 }) }),
      }),
    }),
    { maxItems: 1000 },
  ),
});

export const StorageEventResultSchema = Type.Object({
  records: Type.Array(
    Type.Object({
      key: Type.String(),
      outcome: Type.Union([
        Type.Literal('recorded'),
        Type.Literal('already_recorded'),
        Type.Literal('rejected'),
        Type.Literal('expired'),
        Type.Literal('unknown'),
        Type.Literal('ignored'),
      ]),
    }),
  ),
});
