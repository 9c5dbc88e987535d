import { Module } from '@nestjs/common';

import { ComputationModule } from '../computation/computation.module.js';
import { EvaluatorsModule } from '../evaluators/evaluators.module.js';
import { AuctionCommandsController } from './auction-commands.controller.js';
import { AuctionCommandsService } from './auction-commands.service.js';
import { AuctionsModule } from './auctions.module.js';
import { SchedulerService } from './scheduler.service.js';

/** Opening, closing and cancelling auctions, and the deadline scheduler. */
@Module({
  imports: [AuctionsModule, ComputationModule, EvaluatorsModule],
  controllers: [AuctionCommandsController],
  providers: [AuctionCommandsService, SchedulerService],
})
export class AuctionCommandsModule {}
