-- Envelope hashes in party order on each submission, so that building the
-- submission set of an auction reads no envelope rows. A row without them
-- makes the set builder read the envelopes table instead.
ALTER TABLE "submissions" ADD COLUMN "envelope_hashes" TEXT[];

-- Fill the column for the submissions already stored.
UPDATE "submissions" s SET "envelope_hashes" = (
  SELECT array_agg(e."hash" ORDER BY e."party") FROM "envelopes" e WHERE e."submission_id" = s."id"
) WHERE s."envelope_hashes" IS NULL;
