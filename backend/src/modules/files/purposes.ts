import type { Config } from '../../config.js';
import type { DatabaseClient } from '../mail/outbox.js';

export const PURPOSES = ['avatar', 'attachment', 'task_attachment'] as const;
export type Purpose = (typeof PURPOSES)[number];

export interface PurposeRule {
  maxBytes: number;
  /** Content types a client may declare; the first bytes must match the declared one. */
  contentTypes: readonly string[];
  /** Public objects live under `public/` and are served anonymously (avatars). */
  public: boolean;
}

/** The extension in the key comes from the verified content type, never from the client's name. */
export const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'text/markdown': 'md',
  'application/zip': 'zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
  'application/msword': 'doc',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.ms-powerpoint': 'ppt',
  // Hangul word processor documents, the standard of Korean schools and offices: HWP 5.0 (an OLE
  // compound file) under the names systems give it, and HWPX (OWPML, a ZIP package).
  'application/x-hwp': 'hwp',
  'application/vnd.hancom.hwp': 'hwp',
  'application/haansofthwp': 'hwp',
  'application/hwp+zip': 'hwpx',
  'application/vnd.hancom.hwpx': 'hwpx',
};

/** Public objects never change (every upload gets a fresh key), so caches may keep them for good. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export type PurposeRules = Readonly<Record<Purpose, PurposeRule>>;

/**
 * Permission of a purpose whose files belong to something other than their uploader (a task).
 * Without a hook, only the uploader reads and deletes a file.
 */
export interface FileAccessHook {
  /** May this user download the file? */
  canRead(userId: string, file: { id: string; userId: string }): Promise<boolean>;
  /**
   * May this user delete the file? Runs inside the deletion's transaction, so the owner of the
   * purpose can remove its own rows (and record it, with the request's id) exactly when the file
   * row goes.
   */
  beforeDelete(
    tx: DatabaseClient,
    caller: FileCaller,
    file: { id: string; userId: string },
  ): Promise<boolean>;
}

/** Who asks for a file change, and in which request (for the records the change leaves). */
export interface FileCaller {
  userId: string;
  requestId: string;
}

export type FileAccessHooks = Partial<Record<Purpose, FileAccessHook>>;

export function purposeRules(
  config: Pick<Config, 'FILES_AVATAR_MAX_BYTES' | 'FILES_ATTACHMENT_MAX_BYTES'>,
): PurposeRules {
  return {
    avatar: { maxBytes: config.FILES_AVATAR_MAX_BYTES, contentTypes: IMAGE_TYPES, public: true },
    attachment: {
      maxBytes: config.FILES_ATTACHMENT_MAX_BYTES,
      contentTypes: Object.keys(EXTENSIONS),
      public: false,
    },
    // A task's attachment: who may read or delete it is the task's board (see FileAccessHooks).
    task_attachment: {
      maxBytes: config.FILES_ATTACHMENT_MAX_BYTES,
      contentTypes: Object.keys(EXTENSIONS),
      public: false,
    },
  };
}

/** `type/subtype` in lower case without parameters (`text/plain; charset=utf-8` → `text/plain`). */
export function normalizeContentType(value: string): string {
  return (value.split(';')[0] ?? '').trim().toLowerCase();
}
