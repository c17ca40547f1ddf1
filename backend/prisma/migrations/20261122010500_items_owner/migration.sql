-- Items become per-user. Rows written before accounts existed belong to nobody who could ever
-- read them again, so they are removed rather than handed to an arbitrary account.
DELETE FROM "items";

-- AlterTable
ALTER TABLE "items" DROP CONSTRAINT "items_pkey",
ADD COLUMN "owner_id" UUID NOT NULL,
ADD CONSTRAINT "items_pkey" PRIMARY KEY ("owner_id", "id");

-- AddForeignKey
ALTER TABLE "items" ADD CONSTRAINT "items_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
