import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, Matches } from 'class-validator';

import { badRequest } from '../../common/domain-error.js';
import { ID_PATTERN, ID_RULE } from '../../common/ids.js';

const HASH = /^[0-9a-f]{64}$/;

/** One bid of the submission set, in submission order. The decorators document it; checkBidRefs enforces them. */
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

  // checkBidRefs checks the items, because class-validator took 0.35 to 0.76 s per 10,000 bids.
  @ApiProperty({ type: [BidRefDto] })
  @IsArray()
  @ArrayMaxSize(100_000)
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

const BID_FIELDS = new Set(['bidderId', 'submissionId', 'envelopeHashes', 'excluded']);
const EXCLUSION_REASON = /^[^\u0000-\u001f]{1,500}$/;

/**
 * Checks every item of a compute request's bids with the rules of BidRefDto.
 * @throws DomainError 400 invalid-request naming the first invalid item and field.
 */
export function checkBidRefs(bids: unknown[]): BidRefDto[] {
  bids.forEach((bid, index) => checkBidRef(bid, `bids[${index}]`));
  return bids as BidRefDto[];
}

function checkBidRef(bid: unknown, at: string): void {
  if (typeof bid !== 'object' || bid === null || Array.isArray(bid)) {
    throw badRequest('invalid-request', `${at} must be an object with bidderId and submissionId`);
  }
  const fields = bid as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !BID_FIELDS.has(key));
  if (unknown !== undefined) {
    throw badRequest('invalid-request', `${at} has the unknown field ${JSON.stringify(unknown)}; remove it`);
  }
  requireMatch(fields.bidderId, ID_PATTERN, `${at}.bidderId must be ${ID_RULE}`);
  requireMatch(fields.submissionId, ID_PATTERN, `${at}.submissionId must be ${ID_RULE}`);
  checkHashes(fields.envelopeHashes, at);
  if (fields.excluded !== undefined && fields.excluded !== null) {
    requireMatch(fields.excluded, EXCLUSION_REASON, `${at}.excluded must be 1 to 500 printable characters`);
  }
}

function checkHashes(hashes: unknown, at: string): void {
  if (hashes === undefined || hashes === null) {
    return;
  }
  if (!Array.isArray(hashes) || hashes.length > 255) {
    throw badRequest('invalid-request', `${at}.envelopeHashes must be an array of at most 255 hashes`);
  }
  hashes.forEach((hash) => requireMatch(hash, HASH, `${at}.envelopeHashes must hold lowercase hex SHA-256 hashes`));
}

function requireMatch(value: unknown, pattern: RegExp, message: string): void {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw badRequest('invalid-request', message);
  }
}
