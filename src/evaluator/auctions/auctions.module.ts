import { Module } from '@nestjs/common';

import { BatchIntakeService } from '../intake/batch-intake.service.js';
import { EnvelopeBatchesController } from '../intake/envelope-batches.controller.js';
import { EnvelopesController } from '../intake/envelopes.controller.js';
import { IntakeService } from '../intake/intake.service.js';
import { OpenedShares } from '../intake/opened-shares.js';
import { AuctionsController } from './auctions.controller.js';
import { AuctionsService } from './auctions.service.js';

/** Auction registration and envelope intake. */
@Module({
  controllers: [AuctionsController, EnvelopesController, EnvelopeBatchesController],
  providers: [AuctionsService, IntakeService, BatchIntakeService, { provide: OpenedShares, useFactory: () => new OpenedShares() }],
  exports: [AuctionsService, OpenedShares],
})
export class AuctionsModule {}
