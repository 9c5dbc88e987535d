import { Module } from '@nestjs/common';

import { AuctionsModule } from '../auctions/auctions.module.js';
import { BiddersModule } from '../bidders/bidders.module.js';
import { ComputationModule } from '../computation/computation.module.js';
import { EvaluatorsModule } from '../evaluators/evaluators.module.js';
import { SubmissionsController } from './submissions.controller.js';
import { SubmissionGroups } from './submission-groups.js';
import { SubmissionsService } from './submissions.service.js';

/** Sealed bids, amendments and the sealed reserve. */
@Module({
  imports: [AuctionsModule, BiddersModule, ComputationModule, EvaluatorsModule],
  controllers: [SubmissionsController],
  providers: [SubmissionsService, SubmissionGroups],
})
export class SubmissionsModule {}
