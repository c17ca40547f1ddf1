import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { Storage } from '../../lib/storage.js';
import type { JobQueue } from './job-queue.js';
import { type FileAccessHooks, type PurposeRules, purposeRules } from './purposes.js';

export interface FilesSettings {
  rules: PurposeRules;
  uploadExpirySeconds: number;
  downloadExpirySeconds: number;
  /** Public objects are served anonymously at `<publicBaseUrl>/<key>`. */
  publicBaseUrl: string;
  multipartMaxFiles: number;
}

export function filesSettings(config: Config): FilesSettings {
  return {
    rules: purposeRules(config),
    uploadExpirySeconds: config.FILES_UPLOAD_EXPIRY_SECONDS,
    downloadExpirySeconds: config.FILES_DOWNLOAD_EXPIRY_SECONDS,
    // nginx serves the bucket at /<bucket>/ on the public origin (path style).
    publicBaseUrl: (
      config.FILES_PUBLIC_BASE_URL ?? `${config.PUBLIC_URL}/${config.S3_BUCKET}`
    ).replace(/\/+$/, ''),
    multipartMaxFiles: config.FILES_MULTIPART_MAX_FILES,
  };
}

export interface FilesDependencies {
  db: Database;
  storage: Storage;
  jobs: JobQueue;
  settings: FilesSettings;
  /** Read/delete permission of purposes not owned by the uploader alone. */
  access?: FileAccessHooks;
}

export interface StoredFileRow {
  id: string;
  userId: string;
  purpose: string;
  key: string;
  filename: string;
  contentType: string;
  size: bigint;
  createdAt: Date;
}

export interface FileView {
  id: string;
  purpose: string;
  filename: string;
  contentType: string;
  size: number;
  createdAt: string;
  /** Anonymous URL for public purposes (avatars); null for private files. */
  publicUrl: string | null;
}

export function toFileView(row: StoredFileRow, settings: FilesSettings): FileView {
  const isPublic = row.key.startsWith('public/');
  return {
    id: row.id,
    purpose: row.purpose,
    filename: row.filename,
    contentType: row.contentType,
    size: Number(row.size),
    createdAt: row.createdAt.toISOString(),
    publicUrl: isPublic ? `${settings.publicBaseUrl}/${row.key}` : null,
  };
}
