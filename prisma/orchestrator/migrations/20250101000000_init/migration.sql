-- CreateEnum
CREATE TYPE "AuctionState" AS ENUM ('draft', 'open', 'closed', 'computing', 'settled', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "Direction" AS ENUM ('highest-wins', 'lowest-wins');

-- CreateEnum
CREATE TYPE "PriceRule" AS ENUM ('first', 'second');

-- CreateEnum
CREATE TYPE "ReserveKind" AS ENUM ('none', 'public', 'sealed');

-- CreateEnum
CREATE TYPE "TieRule" AS ENUM ('earliest', 'lottery');

-- CreateEnum
CREATE TYPE "Disclosure" AS ENUM ('public', 'amount-only');

-- CreateEnum
CREATE TYPE "SubmissionKind" AS ENUM ('bid', 'reserve');

-- CreateEnum
CREATE TYPE "SubmissionStatus" AS ENUM ('pending', 'accepted', 'superseded', 'failed');

-- CreateTable
CREATE TABLE "auctions" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "state" "AuctionState" NOT NULL DEFAULT 'draft',
    "state_reason" TEXT,
    "direction" "Direction" NOT NULL DEFAULT 'highest-wins',
    "price" "PriceRule" NOT NULL DEFAULT 'first',
    "bits" INTEGER NOT NULL DEFAULT 32,
    "decimals" INTEGER NOT NULL DEFAULT 0,
    "reserve_kind" "ReserveKind" NOT NULL DEFAULT 'none',
    "reserve" DECIMAL(20,0),
    "min_price" DECIMAL(20,0),
    "min_valid_bids" INTEGER,
    "ties" "TieRule" NOT NULL DEFAULT 'earliest',
    "disclosure" "Disclosure" NOT NULL DEFAULT 'public',
    "closes_at" TIMESTAMPTZ(3),
    "opened_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "auctions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "transitions" (
    "id" SERIAL NOT NULL,
    "auction_id" TEXT NOT NULL,
    "from_state" "AuctionState",
    "to_state" "AuctionState" NOT NULL,
    "reason" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "transitions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bidders" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bidders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "participants" (
    "auction_id" TEXT NOT NULL,
    "bidder_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "participants_pkey" PRIMARY KEY ("auction_id","bidder_id")
);

-- CreateTable
CREATE TABLE "exclusions" (
    "auction_id" TEXT NOT NULL,
    "bidder_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "exclusions_pkey" PRIMARY KEY ("auction_id","bidder_id")
);

-- CreateTable
CREATE TABLE "submissions" (
    "id" TEXT NOT NULL,
    "auction_id" TEXT NOT NULL,
    "bidder_id" TEXT,
    "kind" "SubmissionKind" NOT NULL DEFAULT 'bid',
    "status" "SubmissionStatus" NOT NULL DEFAULT 'pending',
    "failure_reason" TEXT,
    "replaces_id" TEXT,
    "sequence" INTEGER,
    "won_bit_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "accepted_at" TIMESTAMPTZ(3),

    CONSTRAINT "submissions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "envelopes" (
    "submission_id" TEXT NOT NULL,
    "party" INTEGER NOT NULL,
    "sealed" JSONB NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "envelopes_pkey" PRIMARY KEY ("submission_id","party")
);

-- CreateTable
CREATE TABLE "receipts" (
    "submission_id" TEXT NOT NULL,
    "party" INTEGER NOT NULL,
    "receipt" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "receipts_pkey" PRIMARY KEY ("submission_id","party")
);

-- CreateTable
CREATE TABLE "computations" (
    "run_id" TEXT NOT NULL,
    "auction_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "submissions" JSONB NOT NULL,
    "set_hash" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "computations_pkey" PRIMARY KEY ("run_id")
);

-- CreateTable
CREATE TABLE "evaluator_results" (
    "run_id" TEXT NOT NULL,
    "party" INTEGER NOT NULL,
    "signed" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "evaluator_results_pkey" PRIMARY KEY ("run_id","party")
);

-- CreateTable
CREATE TABLE "results" (
    "auction_id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "set_hash" TEXT NOT NULL,
    "outcome" JSONB NOT NULL,
    "signatures" JSONB NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "results_pkey" PRIMARY KEY ("auction_id")
);

-- CreateTable
CREATE TABLE "won_bit_seals" (
    "submission_id" TEXT NOT NULL,
    "party" INTEGER NOT NULL,
    "sealed" JSONB NOT NULL,

    CONSTRAINT "won_bit_seals_pkey" PRIMARY KEY ("submission_id","party")
);

-- CreateIndex
CREATE INDEX "auctions_state_idx" ON "auctions"("state");

-- CreateIndex
CREATE INDEX "transitions_auction_id_id_idx" ON "transitions"("auction_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "participants_token_hash_key" ON "participants"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "submissions_replaces_id_key" ON "submissions"("replaces_id");

-- CreateIndex
CREATE INDEX "submissions_auction_id_status_idx" ON "submissions"("auction_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "submissions_auction_id_sequence_key" ON "submissions"("auction_id", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "computations_auction_id_attempt_key" ON "computations"("auction_id", "attempt");

-- AddForeignKey
ALTER TABLE "transitions" ADD CONSTRAINT "transitions_auction_id_fkey" FOREIGN KEY ("auction_id") REFERENCES "auctions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "participants" ADD CONSTRAINT "participants_auction_id_fkey" FOREIGN KEY ("auction_id") REFERENCES "auctions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "participants" ADD CONSTRAINT "participants_bidder_id_fkey" FOREIGN KEY ("bidder_id") REFERENCES "bidders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exclusions" ADD CONSTRAINT "exclusions_auction_id_bidder_id_fkey" FOREIGN KEY ("auction_id", "bidder_id") REFERENCES "participants"("auction_id", "bidder_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_auction_id_fkey" FOREIGN KEY ("auction_id") REFERENCES "auctions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_bidder_id_fkey" FOREIGN KEY ("bidder_id") REFERENCES "bidders"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_replaces_id_fkey" FOREIGN KEY ("replaces_id") REFERENCES "submissions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "envelopes" ADD CONSTRAINT "envelopes_submission_id_fkey" FOREIGN KEY ("submission_id") REFERENCES "submissions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_submission_id_fkey" FOREIGN KEY ("submission_id") REFERENCES "submissions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "computations" ADD CONSTRAINT "computations_auction_id_fkey" FOREIGN KEY ("auction_id") REFERENCES "auctions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluator_results" ADD CONSTRAINT "evaluator_results_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "computations"("run_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "results" ADD CONSTRAINT "results_auction_id_fkey" FOREIGN KEY ("auction_id") REFERENCES "auctions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "won_bit_seals" ADD CONSTRAINT "won_bit_seals_submission_id_fkey" FOREIGN KEY ("submission_id") REFERENCES "submissions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
