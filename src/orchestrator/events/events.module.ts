import { Module } from '@nestjs/common';

import { AuctionsModule } from '../auctions/auctions.module.js';
import { ComputationModule } from '../computation/computation.module.js';
import { EventsGateway } from './events.gateway.js';

/** The WebSocket gateway for live auction events. */
@Module({
  imports: [AuctionsModule, ComputationModule],
  providers: [EventsGateway],
})
export class EventsModule {}
