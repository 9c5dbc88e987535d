import { Body, Controller, DefaultValuePipe, Get, Param, ParseIntPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';

import { AUCTION_ID } from '../common/auction-id.pipe.js';
import { OperatorGuard } from '../common/operator.guard.js';
import { AuctionView } from './auction-view.js';
import { AuctionsService } from './auctions.service.js';
import { ConfigureAuctionDto, CreateAuctionDto } from './dto/auction-settings.dto.js';

/** Auctions: creation and configuration by the operator, public reads. */
@ApiTags('auctions')
@Controller('auctions')
export class AuctionsController {
  constructor(private readonly auctions: AuctionsService) {}

  @Post()
  @UseGuards(OperatorGuard)
  @ApiSecurity('operator')
  @ApiOperation({ summary: 'Create a draft auction' })
  @ApiCreatedResponse({ type: AuctionView })
  create(@Body() body: CreateAuctionDto): Promise<AuctionView> {
    return this.auctions.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List auctions, newest first' })
  @ApiOkResponse({ type: [AuctionView] })
  list(@Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number): Promise<AuctionView[]> {
    return this.auctions.list(Math.min(Math.max(limit, 1), 1000));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read an auction with its settings, state and sealed-bid count' })
  @ApiOkResponse({ type: AuctionView })
  get(@Param('id', AUCTION_ID) id: string): Promise<AuctionView> {
    return this.auctions.get(id);
  }

  @Patch(':id')
  @UseGuards(OperatorGuard)
  @ApiSecurity('operator')
  @ApiOperation({ summary: 'Change the settings of a draft auction' })
  @ApiOkResponse({ type: AuctionView })
  configure(@Param('id', AUCTION_ID) id: string, @Body() body: ConfigureAuctionDto): Promise<AuctionView> {
    return this.auctions.configure(id, body);
  }

  @Get(':id/state')
  @ApiOperation({ summary: 'Read the lifecycle state with its stored transitions' })
  state(@Param('id', AUCTION_ID) id: string) {
    return this.auctions.state(id);
  }

  @Get(':id/bids/count')
  @ApiOperation({ summary: 'Read the number of sealed bids in force' })
  async bidCount(@Param('id', AUCTION_ID) id: string): Promise<{ auctionId: string; count: number }> {
    return { auctionId: id, count: await this.auctions.sealedBidCount(id) };
  }
}
