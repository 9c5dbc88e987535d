import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Equals, IsIn, IsObject, IsOptional, Matches, ValidateNested } from 'class-validator';

import { ID_PATTERN, ID_RULE } from '../../common/ids.js';

const BASE64URL = (max: number): RegExp => new RegExp(`^[A-Za-z0-9_-]{1,${max}}$`);

/** A sealed envelope as the bidder produced it. */
export class EnvelopeDto {
  @ApiProperty({ enum: [1] })
  @Equals(1, { message: 'envelope.version must be 1' })
  version!: 1;

  @ApiProperty({ description: 'Ephemeral X25519 public key, base64url' })
  @Matches(BASE64URL(64), { message: 'envelope.ephemeralPublicKey must be base64url' })
  ephemeralPublicKey!: string;

  @ApiProperty({ description: '12-byte nonce, base64url' })
  @Matches(BASE64URL(64), { message: 'envelope.nonce must be base64url' })
  nonce!: string;

  @ApiProperty({ description: 'ChaCha20-Poly1305 ciphertext with tag, base64url' })
  @Matches(BASE64URL(4096), { message: 'envelope.ciphertext must be base64url of at most 3072 bytes' })
  ciphertext!: string;
}

/** Body of POST /v1/auctions/:auctionId/envelopes. */
export class SubmitEnvelopeDto {
  @ApiProperty({ example: 'b-17' })
  @Matches(ID_PATTERN, { message: `bidderId must be ${ID_RULE}` })
  bidderId!: string;

  @ApiProperty({ example: 's-9c1f' })
  @Matches(ID_PATTERN, { message: `submissionId must be ${ID_RULE}` })
  submissionId!: string;

  @ApiPropertyOptional({ enum: ['bid', 'reserve'], default: 'bid' })
  @IsOptional()
  @IsIn(['bid', 'reserve'])
  kind?: 'bid' | 'reserve';

  @ApiProperty({ type: EnvelopeDto })
  @IsObject({ message: 'envelope must be an object with version, ephemeralPublicKey, nonce and ciphertext' })
  @ValidateNested()
  @Type(() => EnvelopeDto)
  envelope!: EnvelopeDto;

  @ApiPropertyOptional({ description: "Bidder's X25519 public key (base64url) for its won-bit share under amount-only" })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'wonBitKey must be a 32-byte X25519 public key in base64url (43 characters)' })
  wonBitKey?: string | null;
}
