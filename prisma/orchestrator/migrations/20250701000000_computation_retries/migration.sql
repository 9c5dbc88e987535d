-- A computation run given up because an evaluator was unavailable keeps its
-- reason; the next run of the same submission set is a new row.
ALTER TABLE "computations" ADD COLUMN "failed_at" TIMESTAMPTZ(3);
ALTER TABLE "computations" ADD COLUMN "failure_reason" TEXT;
