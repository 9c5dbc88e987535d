import { Module } from '@nestjs/common';

import { EnvelopesController } from '../intake/envelopes.controller.js';
import { IntakeService } from '../intake/intake.service.js';
import { AuctionsController } from './auctions.controller.js';
import { AuctionsService } from './auctions.service.js';

/** Auction registration and envelope intake. */
@Module({
  controllers: [AuctionsController, EnvelopesController],
  providers: [AuctionsService, IntakeService],
  exports: [AuctionsService],
})
export class AuctionsModule {}
