import { Body, Controller, HttpCode, Param, Post, Put, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpResponse as Response } from '../common/http-types.js';

import { AuctionIdPipe } from '../common/id.pipe.js';
import { OrchestratorGuard } from '../common/orchestrator.guard.js';
import { AuctionsService, type AuctionView } from './auctions.service.js';
import { CancelAuctionDto, RegisterAuctionDto } from './dto/register-auction.dto.js';

/** Auction registration and cancellation by the orchestrator. */
@ApiTags('auctions')
@ApiBearerAuth()
@UseGuards(OrchestratorGuard)
@Controller('v1/auctions')
export class AuctionsController {
  constructor(private readonly auctions: AuctionsService) {}

  @Put(':auctionId')
  @ApiOperation({ summary: 'Register an auction, or move its closing time while it is open' })
  async register(
    @Param('auctionId', AuctionIdPipe) auctionId: string,
    @Body() body: RegisterAuctionDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AuctionView> {
    const { view, created } = await this.auctions.register(auctionId, body);
    response.status(created ? 201 : 200);
    return view;
  }

  @Post(':auctionId/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an auction and erase its envelopes' })
  async cancel(@Param('auctionId', AuctionIdPipe) auctionId: string, @Body() body: CancelAuctionDto): Promise<AuctionView> {
    return this.auctions.cancel(auctionId, body.reason);
  }
}
