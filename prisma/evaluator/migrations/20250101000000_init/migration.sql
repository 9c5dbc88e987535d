-- CreateEnum
CREATE TYPE "AuctionState" AS ENUM ('open', 'settled', 'cancelled');

-- CreateEnum
CREATE TYPE "SubmissionKind" AS ENUM ('bid', 'reserve');

-- CreateEnum
CREATE TYPE "RunState" AS ENUM ('agreeing', 'computing', 'completed', 'failed');

-- CreateTable
CREATE TABLE "auctions" (
    "id" TEXT NOT NULL,
    "rules" JSONB NOT NULL,
    "closes_at" TIMESTAMPTZ(3) NOT NULL,
    "parties" INTEGER NOT NULL,
    "degree" INTEGER NOT NULL,
    "state" "AuctionState" NOT NULL DEFAULT 'open',
    "registered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "settled_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "cancel_reason" TEXT,
    "erased_at" TIMESTAMPTZ(3),

    CONSTRAINT "auctions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "envelopes" (
    "auction_id" TEXT NOT NULL,
    "submission_id" TEXT NOT NULL,
    "bidder_id" TEXT NOT NULL,
    "kind" "SubmissionKind" NOT NULL DEFAULT 'bid',
    "sealed" JSONB,
    "hash" TEXT NOT NULL,
    "won_bit_key" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "replaced_by" TEXT,

    CONSTRAINT "envelopes_pkey" PRIMARY KEY ("auction_id","submission_id")
);

-- CreateTable
CREATE TABLE "receipts" (
    "auction_id" TEXT NOT NULL,
    "submission_id" TEXT NOT NULL,
    "receipt" JSONB NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "receipts_pkey" PRIMARY KEY ("auction_id","submission_id")
);

-- CreateTable
CREATE TABLE "runs" (
    "id" TEXT NOT NULL,
    "auction_id" TEXT NOT NULL,
    "state" "RunState" NOT NULL DEFAULT 'agreeing',
    "submissions" JSONB NOT NULL,
    "set_hash" TEXT NOT NULL,
    "error_code" TEXT,
    "error_message" TEXT,
    "stats" JSONB,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "submission_set_agreements" (
    "run_id" TEXT NOT NULL,
    "set_hash" TEXT NOT NULL,
    "signatures" JSONB NOT NULL,
    "agreed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "submission_set_agreements_pkey" PRIMARY KEY ("run_id")
);

-- CreateTable
CREATE TABLE "run_results" (
    "run_id" TEXT NOT NULL,
    "statement" JSONB NOT NULL,
    "signature" TEXT NOT NULL,
    "won_bits" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_results_pkey" PRIMARY KEY ("run_id")
);

-- CreateIndex
CREATE INDEX "envelopes_auction_id_bidder_id_idx" ON "envelopes"("auction_id", "bidder_id");

-- CreateIndex
CREATE INDEX "runs_auction_id_started_at_idx" ON "runs"("auction_id", "started_at");

-- AddForeignKey
ALTER TABLE "envelopes" ADD CONSTRAINT "envelopes_auction_id_fkey" FOREIGN KEY ("auction_id") REFERENCES "auctions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_auction_id_submission_id_fkey" FOREIGN KEY ("auction_id", "submission_id") REFERENCES "envelopes"("auction_id", "submission_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_auction_id_fkey" FOREIGN KEY ("auction_id") REFERENCES "auctions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "submission_set_agreements" ADD CONSTRAINT "submission_set_agreements_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_results" ADD CONSTRAINT "run_results_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
