import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  Equals,
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const BASE64URL_MESSAGE = '$property must be unpadded base64url';

/** A sealed box: the envelope of one evaluator's share vector. */
export class SealedEnvelopeDto {
  @ApiProperty({ enum: [1] })
  @Equals(1)
  version!: 1;

  @ApiProperty({ description: 'Ephemeral X25519 public key, base64url.' })
  @IsString()
  @Matches(BASE64URL, { message: BASE64URL_MESSAGE })
  @MaxLength(64)
  ephemeralPublicKey!: string;

  @ApiProperty({ description: 'ChaCha20-Poly1305 nonce, base64url.' })
  @IsString()
  @Matches(BASE64URL, { message: BASE64URL_MESSAGE })
  @MaxLength(32)
  nonce!: string;

  @ApiProperty({ description: 'Ciphertext with its tag, base64url.' })
  @IsString()
  @Matches(BASE64URL, { message: BASE64URL_MESSAGE })
  @MaxLength(1024)
  ciphertext!: string;
}

/** The envelope for one evaluator. */
export class EvaluatorEnvelopeDto {
  @ApiProperty({ description: 'Evaluator party number, 1 to n.' })
  @IsInt()
  @Min(1)
  @Max(255)
  evaluator!: number;

  @ApiProperty({ type: SealedEnvelopeDto })
  @IsObject({ message: 'envelope must be an object with version, ephemeralPublicKey, nonce and ciphertext' })
  @ValidateNested()
  @Type(() => SealedEnvelopeDto)
  envelope!: SealedEnvelopeDto;
}

/** Body of a sealed submission: one envelope per evaluator. */
export class SubmitSealedDto {
  @ApiProperty({ description: 'Fresh UUID chosen by the client; it is bound into every envelope.' })
  @IsUUID()
  submissionId!: string;

  @ApiProperty({ type: [EvaluatorEnvelopeDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(255)
  // Without IsObject an array element slips past ValidateNested.
  @IsObject({ each: true, message: 'envelopes must be an array of objects with evaluator and envelope' })
  @ValidateNested({ each: true })
  @Type(() => EvaluatorEnvelopeDto)
  envelopes!: EvaluatorEnvelopeDto[];
}

/** Body of POST /v1/auctions/:id/submissions. */
export class SubmitBidDto extends SubmitSealedDto {
  @ApiPropertyOptional({
    description: 'Bidder X25519 public key (base64url) for the private won bit; required under amount-only disclosure.',
  })
  @IsOptional()
  @IsString()
  @Matches(BASE64URL, { message: BASE64URL_MESSAGE })
  @MaxLength(64)
  wonBitKey?: string;
}

/** A receipt as an evaluator signed it. */
export class ReceiptView {
  @ApiProperty() auctionId!: string;
  @ApiProperty() bidderId!: string;
  @ApiProperty() submissionId!: string;
  @ApiProperty() evaluator!: number;
  @ApiProperty() envelopeHash!: string;
  @ApiProperty() receivedAt!: string;
  @ApiProperty() onTime!: boolean;
}

/** A receipt with its Ed25519 signature (base64url). */
export class SignedReceiptView {
  @ApiProperty({ type: ReceiptView }) receipt!: ReceiptView;
  @ApiProperty() signature!: string;
}

/** An accepted submission with every evaluator's receipt. */
export class SubmissionView {
  @ApiProperty() submissionId!: string;
  @ApiProperty() auctionId!: string;
  @ApiProperty({ description: 'Bidder id bound into the envelopes.' }) bidderId!: string;
  @ApiPropertyOptional({ nullable: true, description: 'The submission this one replaced.' })
  replaces!: string | null;
  @ApiProperty({ type: [SignedReceiptView] }) receipts!: SignedReceiptView[];
}
