import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import type { PublicOutcome } from '../../crypto/index.js';
import type { ResultSignature } from './result-agreement.js';

/** One evaluator's signature over the published statement. */
export class ResultSignatureView {
  @ApiProperty() evaluator!: number;
  @ApiProperty({ description: 'Ed25519 signature, base64url, over the result statement.' }) signature!: string;
}

/** The signed outcome exactly as every evaluator signed it (amounts in minor units). */
export class OutcomeView {
  @ApiProperty({ enum: ['settled', 'no-sale'] }) status!: PublicOutcome['status'];
  @ApiPropertyOptional({ nullable: true }) noSaleReason!: PublicOutcome['noSaleReason'];
  @ApiPropertyOptional({ nullable: true, description: 'Position of the winning bid; null under amount-only.' })
  winner!: number | null;
  @ApiPropertyOptional({ nullable: true, description: 'Price in minor units.' }) price!: string | null;
  @ApiProperty() validBids!: number;
  @ApiProperty({ description: 'Bids left out, by position, with the public reason.' })
  rejected!: Array<{ bid: number; reason: string }>;
}

/** A published result with everything needed to verify it. */
export class ResultView {
  @ApiProperty() auctionId!: string;
  @ApiProperty() runId!: string;
  @ApiProperty() submissionSetHash!: string;
  @ApiProperty({ type: OutcomeView }) outcome!: PublicOutcome;
  @ApiPropertyOptional({ nullable: true, description: 'Price in major units.' }) price!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Winning bidder under public disclosure.' })
  winnerBidderId!: string | null;
  @ApiProperty({ type: [ResultSignatureView] }) signatures!: ResultSignature[];
  @ApiProperty() publishedAt!: string;
}
