-- Notifications: who watches what, each user's preferences, the in-app notifications (which
-- double as the queue of notification email) and used unsubscribe links.

-- The user's IANA time zone (validated by the API): daily digests go out at a local hour.
ALTER TABLE "profiles" ADD COLUMN "time_zone" TEXT NOT NULL DEFAULT 'UTC';

-- Extra headers of an outbox email (e.g. List-Unsubscribe), rendered with the row.
ALTER TABLE "mail_outbox" ADD COLUMN "headers" JSONB NOT NULL DEFAULT '{}';

CREATE TABLE "task_watchers" (
    "task_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "task_watchers_pkey" PRIMARY KEY ("task_id", "user_id"),
    CONSTRAINT "task_watchers_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "task_watchers_user_id_idx" ON "task_watchers"("user_id");

CREATE TABLE "board_watchers" (
    "board_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "board_watchers_pkey" PRIMARY KEY ("board_id", "user_id"),
    CONSTRAINT "board_watchers_board_id_fkey" FOREIGN KEY ("board_id") REFERENCES "boards"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "board_watchers_user_id_idx" ON "board_watchers"("user_id");

-- One row per user once they save preferences; no row = the documented defaults.
CREATE TABLE "notification_preferences" (
    "user_id" UUID NOT NULL,
    "events" JSONB NOT NULL DEFAULT '{}',
    "daily_digest_hour" INTEGER NOT NULL DEFAULT 8,
    "muted_board_ids" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("user_id"),
    CONSTRAINT "notification_preferences_daily_digest_hour_check" CHECK ("daily_digest_hour" BETWEEN 0 AND 23)
);

-- A notification of one user about one activity row. `in_app` rows are listed in the centre;
-- `email_timing` rows wait (`emailed_at` null) until the email job batches them into one outbox
-- row (`outbox_id`), in the job's transaction, so each is mailed exactly once.
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "activity_id" BIGINT NOT NULL,
    "board_id" UUID NOT NULL,
    "task_id" UUID,
    "actor_id" UUID,
    "category" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "task_number" INTEGER,
    "task_title" TEXT NOT NULL DEFAULT '',
    "in_app" BOOLEAN NOT NULL,
    "read_at" TIMESTAMPTZ(3),
    "email_timing" TEXT,
    "email_due_at" TIMESTAMPTZ(3),
    "emailed_at" TIMESTAMPTZ(3),
    "outbox_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "notifications_email_timing_check" CHECK ("email_timing" IN ('immediate', 'hourly', 'daily'))
);
CREATE UNIQUE INDEX "notifications_user_id_activity_id_key" ON "notifications"("user_id", "activity_id");
CREATE INDEX "notifications_user_id_created_at_idx" ON "notifications"("user_id", "created_at" DESC, "id" DESC) WHERE "in_app";
CREATE INDEX "notifications_unread_idx" ON "notifications"("user_id") WHERE "in_app" AND "read_at" IS NULL;
CREATE INDEX "notifications_email_pending_idx" ON "notifications"("email_timing", "email_due_at") WHERE "email_timing" IS NOT NULL AND "emailed_at" IS NULL;

-- Unsubscribe links work once: the SHA-256 of each used link.
CREATE TABLE "notification_unsubscribes" (
    "token_hash" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "category" TEXT NOT NULL,
    "used_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_unsubscribes_pkey" PRIMARY KEY ("token_hash")
);
