/** Removes one object; retried with backoff, then dead-lettered. Data: `{ key }`. */
export const DELETE_OBJECT_QUEUE = 'files.delete-object';
/** Scheduled sweep of expired pending uploads and orphaned objects. */
export const CLEANUP_QUEUE = 'files.cleanup';
export const CLEANUP_CRON = '*/15 * * * *';
/** Subscribed to the `user.deleted` event ({ userId }) that the auth module publishes. */
export const USER_DELETED_EVENT = 'user.deleted';
export const USER_DELETED_QUEUE = 'files.user-deleted';
