import { Inject, Logger } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { WebSocket } from 'ws';

import { incomingPeerProblem } from '../common/loopback.js';
import { EVALUATOR_CONFIG } from '../common/tokens.js';
import type { EvaluatorConfig } from '../config/evaluator-config.js';
import { MAX_FRAME_BYTES, PeerNetwork } from './peer-network.js';

/**
 * Accepts peer evaluators' WebSocket connections at /v1/peers on the HTTP
 * port. A connection without TLS from an address other than loopback is
 * closed before the handshake unless SEALBID_ALLOW_INSECURE_PEERS is set.
 */
@WebSocketGateway({ path: '/v1/peers', maxPayload: MAX_FRAME_BYTES })
export class PeerGateway implements OnGatewayConnection {
  private readonly logger = new Logger(PeerGateway.name);

  constructor(
    private readonly network: PeerNetwork,
    @Inject(EVALUATOR_CONFIG) private readonly config: EvaluatorConfig,
  ) {}

  handleConnection(socket: WebSocket, request?: IncomingMessage): void {
    const connection = request?.socket as TLSSocket | undefined;
    const problem = incomingPeerProblem(connection?.remoteAddress, connection?.encrypted === true, this.config.allowInsecurePeers);
    if (problem !== null) {
      this.logger.warn(problem);
      socket.close(1008, 'peer channel needs TLS or loopback');
      return;
    }
    this.network.accept(socket, connection ?? null);
  }
}
