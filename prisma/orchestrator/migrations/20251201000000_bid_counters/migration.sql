-- The number of sealed bids in force and of accepted sealed reserves, kept on
-- the auction row by the statements that accept a submission or exclude a
-- bidder, so reading an auction no longer counts its submissions.
ALTER TABLE "auctions" ADD COLUMN "sealed_bids" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "auctions" ADD COLUMN "sealed_reserves" INTEGER NOT NULL DEFAULT 0;

UPDATE "auctions" AS a SET
  "sealed_bids" = (
    SELECT count(*) FROM "submissions" AS s
    WHERE s."auction_id" = a."id" AND s."kind" = 'bid' AND s."status" = 'accepted'
      AND NOT EXISTS (SELECT 1 FROM "exclusions" AS e WHERE e."auction_id" = s."auction_id" AND e."bidder_id" = s."bidder_id")
  ),
  "sealed_reserves" = (
    SELECT count(*) FROM "submissions" AS s
    WHERE s."auction_id" = a."id" AND s."kind" = 'reserve' AND s."status" = 'accepted'
  );
