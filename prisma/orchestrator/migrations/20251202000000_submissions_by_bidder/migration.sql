-- Finding a bidder's accepted submission (to supersede it, or to show the
-- bidder its bid in force) read every accepted submission of the auction
-- through the (auction_id, status) index, so each bid cost time in
-- proportion to the bids already in.
CREATE INDEX "submissions_auction_id_bidder_id_idx" ON "submissions"("auction_id", "bidder_id");
