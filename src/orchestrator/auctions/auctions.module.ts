import { Module } from '@nestjs/common';

import { AuctionsController } from './auctions.controller.js';
import { AuctionsService } from './auctions.service.js';
import { LifecycleService } from './lifecycle.service.js';

/** Auctions, their settings and their stored lifecycle. */
@Module({
  controllers: [AuctionsController],
  providers: [AuctionsService, LifecycleService],
  exports: [AuctionsService, LifecycleService],
})
export class AuctionsModule {}
