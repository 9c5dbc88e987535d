import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';

import { AUCTION_ID } from '../common/auction-id.pipe.js';
import { OperatorGuard } from '../common/operator.guard.js';
import { BiddersService } from './bidders.service.js';
import { AdmitBidderDto, AdmitBiddersDto, BidderTokensView, BidderTokenView, BidderView, ExcludeBidderDto, ParticipantView, RegisterBidderDto } from './dto/bidder.dto.js';

/** The bidder registry (operator only). */
@ApiTags('bidders')
@ApiSecurity('operator')
@UseGuards(OperatorGuard)
@Controller('bidders')
export class BiddersController {
  constructor(private readonly bidders: BiddersService) {}

  @Post()
  @ApiOperation({ summary: 'Register a bidder' })
  @ApiCreatedResponse({ type: BidderView })
  register(@Body() body: RegisterBidderDto): Promise<BidderView> {
    return this.bidders.register(body);
  }

  @Get()
  @ApiOperation({ summary: 'List registered bidders' })
  @ApiOkResponse({ type: [BidderView] })
  list(): Promise<BidderView[]> {
    return this.bidders.list();
  }
}

/** Admission of bidders to one auction, their tokens and exclusions (operator only). */
@ApiTags('bidders')
@ApiSecurity('operator')
@UseGuards(OperatorGuard)
@Controller('auctions/:id')
export class ParticipantsController {
  constructor(private readonly bidders: BiddersService) {}

  @Post('participants')
  @ApiOperation({ summary: 'Admit a registered bidder and issue its bidder token (replaces an earlier token)' })
  @ApiCreatedResponse({ type: BidderTokenView })
  admit(@Param('id', AUCTION_ID) id: string, @Body() body: AdmitBidderDto): Promise<BidderTokenView> {
    return this.bidders.issueToken(id, body.bidderId);
  }

  @Post('participants/batch')
  @ApiOperation({ summary: 'Admit registered bidders and issue a token to each, all or none (replaces earlier tokens)' })
  @ApiCreatedResponse({ type: BidderTokensView })
  async admitMany(@Param('id', AUCTION_ID) id: string, @Body() body: AdmitBiddersDto): Promise<BidderTokensView> {
    return { auctionId: id, tokens: await this.bidders.issueTokens(id, body.bidderIds) };
  }

  @Get('participants')
  @ApiOperation({ summary: 'List the participants with their exclusion and bid status' })
  @ApiOkResponse({ type: [ParticipantView] })
  participants(@Param('id', AUCTION_ID) id: string): Promise<ParticipantView[]> {
    return this.bidders.participants(id);
  }

  @Post('exclusions')
  @HttpCode(204)
  @ApiOperation({ summary: 'Exclude a participant, with a reason, before close' })
  async exclude(@Param('id', AUCTION_ID) id: string, @Body() body: ExcludeBidderDto): Promise<void> {
    await this.bidders.exclude(id, body.bidderId, body.reason);
  }
}
