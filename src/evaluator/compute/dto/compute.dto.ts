import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, Matches, ValidateNested } from 'class-validator';

import { ID_PATTERN, ID_RULE } from '../../common/ids.js';

const HASH = /^[0-9a-f]{64}$/;

/** One bid of the submission set, in submission order. */
export class BidRefDto {
  @ApiProperty()
  @Matches(ID_PATTERN, { message: `bids[].bidderId must be ${ID_RULE}` })
  bidderId!: string;

  @ApiProperty()
  @Matches(ID_PATTERN, { message: `bids[].submissionId must be ${ID_RULE}` })
  submissionId!: string;

  @ApiPropertyOptional({ type: [String], description: 'Envelope hash at each evaluator, in party order' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(255)
  @Matches(HASH, { each: true, message: 'bids[].envelopeHashes must hold lowercase hex SHA-256 hashes' })
  envelopeHashes?: string[] | null;

  @ApiPropertyOptional({ description: 'Public reason when the operator excluded the bid' })
  @IsOptional()
  @Matches(/^[^\u0000-\u001f]{1,500}$/, { message: 'bids[].excluded must be 1 to 500 printable characters' })
  excluded?: string | null;
}

/** Body of POST /v1/auctions/:auctionId/compute. */
export class ComputeDto {
  @ApiProperty({ example: 'a-1.run-1' })
  @Matches(ID_PATTERN, { message: `runId must be ${ID_RULE}` })
  runId!: string;

  @ApiProperty({ type: [BidRefDto] })
  @IsArray()
  @ArrayMaxSize(100_000)
  // Without IsObject an array element slips past ValidateNested and fails later with 500.
  @IsObject({ each: true, message: 'bids must be an array of objects with bidderId and submissionId' })
  @ValidateNested({ each: true })
  @Type(() => BidRefDto)
  bids!: BidRefDto[];

  @ApiPropertyOptional({ description: 'Submission id of the sealed reserve' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: `reserveSubmissionId must be ${ID_RULE}` })
  reserveSubmissionId?: string | null;

  @ApiPropertyOptional({ description: "The orchestrator's submissionSetHash of this request" })
  @IsOptional()
  @Matches(HASH, { message: 'submissionSetHash must be a lowercase hex SHA-256 hash' })
  submissionSetHash?: string;
}
