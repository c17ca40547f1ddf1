-- Outgoing webhooks: endpoints registered by board supervisors, and one delivery row per
-- (endpoint, activity row) that matched the endpoint's filter. The worker's feed consumer writes
-- the deliveries; the worker's sender POSTs them after commit.

-- Signing needs the secret itself, so it is stored encrypted (AES-256-GCM, key from
-- WEBHOOKS_ENCRYPTION_KEY), never in clear. During a rotation the previous secret stays live
-- (and signs too) until `previous_secret_expires_at`.
CREATE TABLE "webhook_endpoints" (
    "id" UUID NOT NULL,
    "board_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "event_types" TEXT[] NOT NULL,
    "secret_encrypted" TEXT NOT NULL,
    "previous_secret_encrypted" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_endpoints_disabled_reason_check"
      CHECK ("disabled_reason" IS NULL OR "disabled_reason" IN ('manual', 'gone'))
);

CREATE INDEX "webhook_endpoints_board_id_idx" ON "webhook_endpoints"("board_id");

ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_board_id_fkey"
  FOREIGN KEY ("board_id") REFERENCES "boards"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- `seq` follows the order the consumer wrote the rows in (feed order): a delivery waits while an
-- earlier pending one of the same endpoint and task exists. `payload` is the exact body sent.
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "activity_id" BIGINT,
    "task_id" UUID,
    "event_type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3),
    "response_status" INTEGER,
    "response_excerpt" TEXT,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_deliveries_status_check"
      CHECK ("status" IN ('pending', 'succeeded', 'failed'))
);

CREATE UNIQUE INDEX "webhook_deliveries_endpoint_id_activity_id_key"
  ON "webhook_deliveries"("endpoint_id", "activity_id");
CREATE INDEX "webhook_deliveries_endpoint_id_seq_idx" ON "webhook_deliveries"("endpoint_id", "seq");
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries"("next_attempt_at")
  WHERE "status" = 'pending';

ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_fkey"
  FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The sender wakes when deliveries are written (on commit), not only on its poll.
CREATE FUNCTION "webhook_deliveries_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('homeport_webhook_deliveries', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "webhook_deliveries_notify_insert" AFTER INSERT ON "webhook_deliveries"
  FOR EACH STATEMENT EXECUTE FUNCTION "webhook_deliveries_notify"();
