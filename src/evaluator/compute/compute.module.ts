import { Module } from '@nestjs/common';

import { AuctionsModule } from '../auctions/auctions.module.js';
import { PeersModule } from '../peers/peers.module.js';
import { AgreementService } from './agreement.service.js';
import { ComputeController } from './compute.controller.js';
import { ComputeService } from './compute.service.js';
import { RunExecutor } from './run-executor.js';

/** Submission set agreement, MPC runs and their signed results. */
@Module({
  imports: [AuctionsModule, PeersModule],
  controllers: [ComputeController],
  providers: [AgreementService, ComputeService, RunExecutor],
})
export class ComputeModule {}
