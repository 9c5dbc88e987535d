import { WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import type { WebSocket } from 'ws';

import { MAX_FRAME_BYTES, PeerNetwork } from './peer-network.js';

/** Accepts peer evaluators' WebSocket connections at /v1/peers on the HTTP port. */
@WebSocketGateway({ path: '/v1/peers', maxPayload: MAX_FRAME_BYTES })
export class PeerGateway implements OnGatewayConnection {
  constructor(private readonly network: PeerNetwork) {}

  handleConnection(socket: WebSocket): void {
    this.network.accept(socket);
  }
}
