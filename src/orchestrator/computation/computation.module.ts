import { Module } from '@nestjs/common';

import { AuctionsModule } from '../auctions/auctions.module.js';
import { EvaluatorsModule } from '../evaluators/evaluators.module.js';
import { ComputationService } from './computation.service.js';
import { ResultsController } from './results.controller.js';
import { ResultsService } from './results.service.js';

/** Computation runs at the evaluators, result agreement and published results. */
@Module({
  imports: [AuctionsModule, EvaluatorsModule],
  controllers: [ResultsController],
  providers: [ComputationService, ResultsService],
  exports: [ComputationService, ResultsService],
})
export class ComputationModule {}
