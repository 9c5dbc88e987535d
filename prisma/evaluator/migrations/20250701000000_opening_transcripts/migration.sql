-- Signed opening transcripts: salted digests of what this evaluator received
-- in each opening of a run, so an inconsistent opening can be attributed.
ALTER TABLE "runs" ADD COLUMN "openings" JSONB;
