import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const AMOUNT = /^(0|[1-9][0-9]{0,19})$/;
const AMOUNT_RULE = 'must be a decimal string of minor units without sign or leading zeros';

/** A reserve known to everyone, or one the operator seals like a bid. */
export class ReserveDto {
  @ApiProperty({ enum: ['public', 'sealed'] })
  @IsIn(['public', 'sealed'])
  kind!: 'public' | 'sealed';

  @ApiPropertyOptional({ description: 'Required for a public reserve: decimal string of minor units', example: '1000' })
  @ValidateIf((reserve: ReserveDto) => reserve.kind === 'public' || reserve.amount !== undefined)
  @Matches(AMOUNT, { message: `reserve.amount ${AMOUNT_RULE}` })
  amount?: string;
}

/** Auction rules in wire form: amounts are decimal strings. */
export class RulesDto {
  @ApiProperty({ description: 'Bid width k in bits', minimum: 1, maximum: 64, example: 32 })
  @IsInt()
  @Min(1)
  @Max(64)
  bits!: number;

  @ApiProperty({ enum: ['highest-wins', 'lowest-wins'] })
  @IsIn(['highest-wins', 'lowest-wins'])
  direction!: 'highest-wins' | 'lowest-wins';

  @ApiProperty({ enum: ['first', 'second'] })
  @IsIn(['first', 'second'])
  price!: 'first' | 'second';

  @ApiPropertyOptional({ type: ReserveDto })
  @IsOptional()
  @IsObject({ message: 'rules.reserve must be an object' })
  @ValidateNested()
  @Type(() => ReserveDto)
  reserve?: ReserveDto;

  @ApiPropertyOptional({ description: 'Lowest-wins only: bids below it are disqualified', example: '100' })
  @IsOptional()
  @Matches(AMOUNT, { message: `minPrice ${AMOUNT_RULE}` })
  minPrice?: string;

  @ApiPropertyOptional({ description: 'Nothing is opened with fewer valid bids', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  minValidBids?: number;

  @ApiProperty({ enum: ['earliest', 'lottery'] })
  @IsIn(['earliest', 'lottery'])
  ties!: 'earliest' | 'lottery';

  @ApiProperty({ enum: ['public', 'amount-only'] })
  @IsIn(['public', 'amount-only'])
  disclosure!: 'public' | 'amount-only';
}

/** Body of PUT /v1/auctions/:auctionId. */
export class RegisterAuctionDto {
  @ApiProperty({ type: RulesDto })
  @IsObject({ message: 'rules must be an object' })
  @ValidateNested()
  @Type(() => RulesDto)
  rules!: RulesDto;

  @ApiProperty({ description: 'Closing time, ISO 8601', example: '2025-06-01T12:00:00.000Z' })
  @IsISO8601({ strict: true })
  closesAt!: string;

  @ApiProperty({ description: 'Number of evaluators n; must match the evaluator configuration' })
  @IsInt()
  @Min(3)
  parties!: number;

  @ApiProperty({ description: 'Polynomial degree t; must match the evaluator configuration' })
  @IsInt()
  @Min(1)
  degree!: number;
}

/** Body of POST /v1/auctions/:auctionId/cancel. */
export class CancelAuctionDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @Matches(/^[^\u0000-\u001f]{0,500}$/, { message: 'reason must be at most 500 printable characters' })
  reason?: string;
}
