-- The activity feed: every consumer of activity rows (realtime streams, notifications,
-- webhooks) reads them in commit-safe order.
--
-- Ids come from a sequence when a row is inserted, not when its transaction commits, so a
-- reader that follows ids alone can pass a lower id that commits later and never see it.
-- Each row also keeps the id of the transaction that wrote it; a reader takes only rows whose
-- transaction is older than every transaction still running (`pg_snapshot_xmin`), ordered by
-- (tx_id, id). Nothing older can appear later, so a cursor on (tx_id, id) never skips a row.
ALTER TABLE "activity" ADD COLUMN "tx_id" xid8 NOT NULL DEFAULT pg_current_xact_id();

CREATE INDEX "activity_tx_id_id_idx" ON "activity"("tx_id", "id");

-- One wake-up per writing statement, delivered when (and only if) the transaction commits.
CREATE FUNCTION "activity_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('homeport_activity', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "activity_notify_insert" AFTER INSERT ON "activity"
  FOR EACH STATEMENT EXECUTE FUNCTION "activity_notify"();

-- Where each durable consumer of the feed has got to. A consumer advances its cursor in the
-- same transaction as the effects of the rows it read, so each row takes effect exactly once.
CREATE TABLE "activity_consumers" (
    "name" TEXT NOT NULL,
    "tx_id" xid8 NOT NULL DEFAULT '0',
    "activity_id" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "activity_consumers_pkey" PRIMARY KEY ("name")
);
