import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { IsPlainText } from '../../common/plain-text.js';

export const DIRECTIONS = ['highest-wins', 'lowest-wins'] as const;
export const PRICE_RULES = ['first', 'second'] as const;
export const RESERVE_KINDS = ['none', 'public', 'sealed'] as const;
export const TIE_RULES = ['earliest', 'lottery'] as const;
export const DISCLOSURES = ['public', 'amount-only'] as const;

/** Decimal amount in the auction's major units, such as "1250.50". */
export const DECIMAL_AMOUNT = /^\d+(\.\d+)?$/;
const DECIMAL_MESSAGE = '$property must be a decimal string such as "1250.50" (no sign, no exponent)';

/** Reserve price: none, a public amount, or sealed as shares by the operator. */
export class ReserveDto {
  @ApiProperty({ enum: RESERVE_KINDS })
  @IsIn(RESERVE_KINDS)
  kind!: (typeof RESERVE_KINDS)[number];

  @ApiPropertyOptional({ description: 'Public reserve in major units; only with kind "public".', example: '100.00' })
  @ValidateIf((reserve: ReserveDto) => reserve.kind === 'public' || reserve.amount !== undefined)
  @IsString()
  @Matches(DECIMAL_AMOUNT, { message: DECIMAL_MESSAGE })
  amount?: string;
}

/** Settings shared by creation and configuration; every field is optional here. */
export class AuctionSettingsDto {
  @ApiPropertyOptional({ enum: DIRECTIONS, description: 'Who wins: the highest bid (sale) or the lowest (procurement).' })
  @IsOptional()
  @IsIn(DIRECTIONS)
  direction?: (typeof DIRECTIONS)[number];

  @ApiPropertyOptional({ enum: PRICE_RULES, description: 'First price: the winner pays its bid. Second: the runner-up bid.' })
  @IsOptional()
  @IsIn(PRICE_RULES)
  price?: (typeof PRICE_RULES)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: 64, description: 'Bid width k in bits (minor units below 2^k).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  bits?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 18, description: 'Digits after the decimal point.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(18)
  decimals?: number;

  @ApiPropertyOptional({ type: ReserveDto })
  @IsOptional()
  @IsObject({ message: 'reserve must be an object such as { "kind": "public", "amount": "100" }' })
  @ValidateNested()
  @Type(() => ReserveDto)
  reserve?: ReserveDto;

  @ApiPropertyOptional({ nullable: true, description: 'Lowest-wins only: bids below it are disqualified (major units).' })
  @IsOptional()
  @ValidateIf((_dto, value) => value !== null)
  @IsString()
  @Matches(DECIMAL_AMOUNT, { message: DECIMAL_MESSAGE })
  minPrice?: string | null;

  @ApiPropertyOptional({ nullable: true, minimum: 1, description: 'Valid bids needed before anything is opened.' })
  @IsOptional()
  @ValidateIf((_dto, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  minValidBids?: number | null;

  @ApiPropertyOptional({ enum: TIE_RULES, description: 'Equal best bids: the earliest accepted wins, or a joint lottery.' })
  @IsOptional()
  @IsIn(TIE_RULES)
  ties?: (typeof TIE_RULES)[number];

  @ApiPropertyOptional({ enum: DISCLOSURES, description: 'amount-only hides the winner; each bidder learns privately.' })
  @IsOptional()
  @IsIn(DISCLOSURES)
  disclosure?: (typeof DISCLOSURES)[number];

  @ApiPropertyOptional({ description: 'Closing time, ISO 8601 with a time zone.', example: '2030-01-01T12:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  closesAt?: string;
}

/** Body of POST /v1/auctions. */
export class CreateAuctionDto extends AuctionSettingsDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Lot 17: harbour crane' })
  @IsString()
  @Length(1, 200)
  @IsPlainText()
  title!: string;
}

/** Body of PATCH /v1/auctions/:id (draft auctions only). */
export class ConfigureAuctionDto extends AuctionSettingsDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @IsPlainText()
  title?: string;
}

/** Body of POST /v1/auctions/:id/open. */
export class OpenAuctionDto {
  @ApiPropertyOptional({ description: 'Closing time; overrides the configured one.', example: '2030-01-01T12:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  closesAt?: string;
}

/** Body of POST /v1/auctions/:id/cancel. */
export class CancelAuctionDto {
  @ApiProperty({ minLength: 1, maxLength: 500, example: 'lot withdrawn by the seller' })
  @IsString()
  @Length(1, 500)
  @IsPlainText()
  reason!: string;
}
