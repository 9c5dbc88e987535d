import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsISO8601, IsOptional, Matches, validateSync } from 'class-validator';

import { badRequest } from '../../common/domain-error.js';
import { ID_PATTERN, ID_RULE } from '../../common/ids.js';

const HASH = /^[0-9a-f]{64}$/;

/** Maximum number of bids one run lists. */
const MAX_BIDS = 100_000;

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
  @ArrayMaxSize(MAX_BIDS)
  bids!: BidRefDto[];

  @ApiPropertyOptional({ description: 'Submission id of the sealed reserve' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: `reserveSubmissionId must be ${ID_RULE}` })
  reserveSubmissionId?: string | null;

  @ApiPropertyOptional({ description: "The orchestrator's submissionSetHash of this request" })
  @IsOptional()
  @Matches(HASH, { message: 'submissionSetHash must be a lowercase hex SHA-256 hash' })
  submissionSetHash?: string;

  @ApiPropertyOptional({ description: 'When the operator closed the auction before its closing time: the evaluator moves its closing time there first' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'closedAt must be an ISO 8601 date and time' })
  closedAt?: string;
}

const BID_FIELDS = new Set(['bidderId', 'submissionId', 'envelopeHashes', 'excluded']);
const EXCLUSION_REASON = /^[^\u0000-\u001f]{1,500}$/;

/** A checked compute request. An interface, not the class, so that the global ValidationPipe passes it by. */
export interface ComputeRequest {
  runId: string;
  bids: BidRefDto[];
  reserveSubmissionId?: string | null;
  submissionSetHash?: string;
  closedAt?: string;
}

/**
 * Checks a compute request body: class-validator checks the fields besides
 * bids, and checkBidRefs the bids. The global ValidationPipe skips this body
 * because the handler declares it without a class, so class-transformer
 * never copies the bid list, which took about 0.16 s per 10,000 bids.
 */
@Injectable()
export class ComputeBodyPipe implements PipeTransform<unknown, ComputeRequest> {
  transform(body: unknown): ComputeRequest {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest('invalid-request', 'the compute request body must be a JSON object with runId and bids');
    }
    const { bids, ...fields } = body as Record<string, unknown>;
    const dto = plainToInstance(ComputeDto, { ...fields, bids: Array.isArray(bids) ? [] : bids });
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      throw badRequest('invalid-request', errors.flatMap((error) => Object.values(error.constraints ?? {})).join('; '));
    }
    if ((bids as unknown[]).length > MAX_BIDS) {
      throw badRequest('invalid-request', `bids must contain no more than ${MAX_BIDS} elements`);
    }
    dto.bids = checkBidRefs(bids as unknown[]);
    return dto;
  }
}

/**
 * Checks every item of a compute request's bids with the rules of BidRefDto.
 * @throws DomainError 400 invalid-request naming the first invalid item and field.
 */
export function checkBidRefs(bids: unknown[]): BidRefDto[] {
  for (let index = 0; index < bids.length; index++) {
    checkBidRef(bids[index], index);
  }
  return bids as BidRefDto[];
}

// Messages are built only for an invalid item, because a run lists up to 100,000 bids.
function checkBidRef(bid: unknown, index: number): void {
  if (typeof bid !== 'object' || bid === null || Array.isArray(bid)) {
    throw invalidBid(index, ' must be an object with bidderId and submissionId');
  }
  const fields = bid as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !BID_FIELDS.has(key));
  if (unknown !== undefined) {
    throw invalidBid(index, ` has the unknown field ${JSON.stringify(unknown)}; remove it`);
  }
  if (!matches(fields.bidderId, ID_PATTERN)) {
    throw invalidBid(index, `.bidderId must be ${ID_RULE}`);
  }
  if (!matches(fields.submissionId, ID_PATTERN)) {
    throw invalidBid(index, `.submissionId must be ${ID_RULE}`);
  }
  checkHashes(fields.envelopeHashes, index);
  if (fields.excluded !== undefined && fields.excluded !== null && !matches(fields.excluded, EXCLUSION_REASON)) {
    throw invalidBid(index, '.excluded must be 1 to 500 printable characters');
  }
}

function checkHashes(hashes: unknown, index: number): void {
  if (hashes === undefined || hashes === null) {
    return;
  }
  if (!Array.isArray(hashes) || hashes.length > 255) {
    throw invalidBid(index, '.envelopeHashes must be an array of at most 255 hashes');
  }
  if (!hashes.every((hash) => matches(hash, HASH))) {
    throw invalidBid(index, '.envelopeHashes must hold lowercase hex SHA-256 hashes');
  }
}

function matches(value: unknown, pattern: RegExp): boolean {
  return typeof value === 'string' && pattern.test(value);
}

function invalidBid(index: number, problem: string): Error {
  return badRequest('invalid-request', `bids[${index}]${problem}`);
}
