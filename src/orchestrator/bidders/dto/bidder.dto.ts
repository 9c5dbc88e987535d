import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';

import { IsPlainText } from '../../common/plain-text.js';

/** Bidder ids appear in envelope bindings and receipts, so they are short and plain. */
export const BIDDER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const BIDDER_ID_MESSAGE = '$property must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit';

/** Body of POST /v1/bidders. */
export class RegisterBidderDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Acme Logistics Ltd' })
  @IsString()
  @Length(1, 200)
  @IsPlainText()
  name!: string;

  @ApiPropertyOptional({ description: 'Chosen id; a random one is assigned when absent.', example: 'acme' })
  @IsOptional()
  @IsString()
  @Matches(BIDDER_ID, { message: BIDDER_ID_MESSAGE })
  id?: string;
}

/** Body of POST /v1/auctions/:id/participants. */
export class AdmitBidderDto {
  @ApiProperty({ example: 'acme' })
  @IsString()
  @Matches(BIDDER_ID, { message: BIDDER_ID_MESSAGE })
  bidderId!: string;
}

/** Maximum number of bidders admitted by one request. */
export const MAX_ADMITTED_AT_ONCE = 1000;

/** Body of POST /v1/auctions/:id/participants/batch. */
export class AdmitBiddersDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: MAX_ADMITTED_AT_ONCE, example: ['acme', 'globex'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ADMITTED_AT_ONCE)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(BIDDER_ID, { each: true, message: `each value in $property must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit` })
  bidderIds!: string[];
}

/** Body of POST /v1/auctions/:id/exclusions. */
export class ExcludeBidderDto {
  @ApiProperty({ example: 'acme' })
  @IsString()
  @Matches(BIDDER_ID, { message: BIDDER_ID_MESSAGE })
  bidderId!: string;

  @ApiProperty({ minLength: 1, maxLength: 500, example: 'failed the eligibility check' })
  @IsString()
  @Length(1, 500)
  @IsPlainText()
  reason!: string;
}

/** A registered bidder. */
export class BidderView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() createdAt!: string;
}

/** A newly issued bidder token; the token is shown only in this response. */
export class BidderTokenView {
  @ApiProperty() auctionId!: string;
  @ApiProperty() bidderId!: string;
  @ApiProperty({ description: 'Send as "Authorization: Bearer <token>"; only its hash is stored.' })
  token!: string;
}

/** One token of a batch admission. */
export class IssuedTokenView {
  @ApiProperty() bidderId!: string;
  @ApiProperty({ description: 'Send as "Authorization: Bearer <token>"; only its hash is stored.' }) token!: string;
}

/** Newly issued bidder tokens, in the order of the request; shown only in this response. */
export class BidderTokensView {
  @ApiProperty() auctionId!: string;
  @ApiProperty({ type: [IssuedTokenView] }) tokens!: IssuedTokenView[];
}

/** A participant as the operator sees it. */
export class ParticipantView {
  @ApiProperty() bidderId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() issuedAt!: string;
  @ApiPropertyOptional({ nullable: true }) excludedReason!: string | null;
  @ApiProperty({ description: 'Whether a sealed bid of this bidder is in force.' }) hasBid!: boolean;
}
