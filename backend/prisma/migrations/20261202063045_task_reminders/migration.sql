-- Due reminders: how many hours before its due date a board's tasks are "due soon", and one row
-- per reminder fired (task + kind + due date), the guard that makes a reminder fire exactly once.

CREATE TABLE "board_reminder_settings" (
    "board_id" UUID NOT NULL,
    "due_soon_hours" INTEGER NOT NULL DEFAULT 24,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "board_reminder_settings_pkey" PRIMARY KEY ("board_id"),
    CONSTRAINT "board_reminder_settings_due_soon_hours_check" CHECK ("due_soon_hours" BETWEEN 1 AND 336),
    CONSTRAINT "board_reminder_settings_board_id_fkey" FOREIGN KEY ("board_id") REFERENCES "boards"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "task_reminders" (
    "task_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "due_date" DATE NOT NULL,
    "fired_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "task_reminders_pkey" PRIMARY KEY ("task_id", "kind", "due_date"),
    CONSTRAINT "task_reminders_kind_check" CHECK ("kind" IN ('due_soon', 'overdue')),
    CONSTRAINT "task_reminders_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
