import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';

import { AUCTION_ID } from '../common/auction-id.pipe.js';
import { OperatorGuard } from '../common/operator.guard.js';
import { AuctionCommandsService } from './auction-commands.service.js';
import { AuctionView } from './auction-view.js';
import { CancelAuctionDto, OpenAuctionDto } from './dto/auction-settings.dto.js';

/** The operator's lifecycle commands. */
@ApiTags('auctions')
@ApiSecurity('operator')
@UseGuards(OperatorGuard)
@Controller('auctions')
export class AuctionCommandsController {
  constructor(private readonly commands: AuctionCommandsService) {}

  @Post(':id/open')
  @HttpCode(200)
  @ApiOperation({ summary: 'Register the auction at every evaluator and open it for bids' })
  @ApiOkResponse({ type: AuctionView })
  open(@Param('id', AUCTION_ID) id: string, @Body() body: OpenAuctionDto): Promise<AuctionView> {
    return this.commands.open(id, body.closesAt);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close an open auction now and start the computation' })
  @ApiOkResponse({ type: AuctionView })
  close(@Param('id', AUCTION_ID) id: string): Promise<AuctionView> {
    return this.commands.close(id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an auction before its computation starts' })
  @ApiOkResponse({ type: AuctionView })
  cancel(@Param('id', AUCTION_ID) id: string, @Body() body: CancelAuctionDto): Promise<AuctionView> {
    return this.commands.cancel(id, body.reason);
  }
}
