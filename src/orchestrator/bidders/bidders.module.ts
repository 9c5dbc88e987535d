import { Module } from '@nestjs/common';

import { AuctionsModule } from '../auctions/auctions.module.js';
import { BidderGuard } from './bidder.guard.js';
import { BiddersController, ParticipantsController } from './bidders.controller.js';
import { BiddersService } from './bidders.service.js';

/** Bidder registry, per-auction tokens and exclusions. */
@Module({
  imports: [AuctionsModule],
  controllers: [BiddersController, ParticipantsController],
  providers: [BiddersService, BidderGuard],
  exports: [BiddersService, BidderGuard],
})
export class BiddersModule {}
