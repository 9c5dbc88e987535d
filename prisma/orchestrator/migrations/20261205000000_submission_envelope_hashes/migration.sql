-- Envelope hashes in party order on each submission, so that building the
-- submission set of an auction reads no envelope rows. Rows stored before this
-- migration keep NULL and the set builder falls back to the envelopes table.
ALTER TABLE "submissions" ADD COLUMN "envelope_hashes" TEXT[];
