import { Module } from '@nestjs/common';

import { PeerGateway } from './peer.gateway.js';
import { PeerNetwork } from './peer-network.js';
import { PeerTransport } from './peer-transport.js';

/** The authenticated channel between evaluators and the MPC transport over it. */
@Module({
  providers: [PeerNetwork, PeerTransport, PeerGateway],
  exports: [PeerNetwork, PeerTransport],
})
export class PeersModule {}
