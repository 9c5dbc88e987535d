import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { toBase64Url } from '../../crypto/index.js';
import { EVALUATOR_CONFIG, EVALUATOR_KEYS } from '../common/tokens.js';
import type { EvaluatorConfig } from '../config/evaluator-config.js';
import { EvaluatorDatabase } from '../database/evaluator-database.js';
import type { EvaluatorKeys } from '../keys/index.js';
import { PeerNetwork } from '../peers/peer-network.js';
import { EVALUATOR_VERSION } from '../version.js';

/** Public identity and health of this evaluator. */
export interface IdentityView {
  party: number;
  parties: number;
  degree: number;
  sealingKey: string;
  signingKey: string;
  version: string;
  health: {
    status: 'ok' | 'degraded';
    database: 'ok' | 'error';
    peers: Array<{ party: number; connected: boolean }>;
  };
}

@ApiTags('identity')
@Controller('v1/identity')
export class IdentityController {
  constructor(
    private readonly database: EvaluatorDatabase,
    private readonly network: PeerNetwork,
    @Inject(EVALUATOR_CONFIG) private readonly config: EvaluatorConfig,
    @Inject(EVALUATOR_KEYS) private readonly keys: EvaluatorKeys,
  ) {}

  @Get()
  @ApiOperation({ summary: "Return this evaluator's party number, public keys, version and health" })
  async identity(): Promise<IdentityView> {
    const database = await this.databaseHealth();
    const peers = this.network.status();
    const healthy = database === 'ok' && peers.every((peer) => peer.connected);
    return {
      party: this.config.index,
      parties: this.config.parties,
      degree: this.config.degree,
      sealingKey: toBase64Url(this.keys.sealing.publicKey),
      signingKey: toBase64Url(this.keys.signing.publicKey),
      version: EVALUATOR_VERSION,
      health: { status: healthy ? 'ok' : 'degraded', database, peers },
    };
  }

  private async databaseHealth(): Promise<'ok' | 'error'> {
    try {
      await this.database.client.$queryRaw`SELECT 1`;
      return 'ok';
    } catch {
      return 'error';
    }
  }
}
