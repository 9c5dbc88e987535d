import { Body, Controller, Get, Inject, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';

import { AuctionsService } from '../auctions/auctions.service.js';
import { BidderGuard, CurrentBidder } from '../bidders/bidder.guard.js';
import type { AuthenticatedBidder } from '../bidders/bidders.service.js';
import { AUCTION_ID } from '../common/auction-id.pipe.js';
import { OperatorGuard } from '../common/operator.guard.js';
import { ORCHESTRATOR_CONFIG } from '../common/tokens.js';
import { ResultsService, type WonBitView } from '../computation/results.service.js';
import type { OrchestratorConfig } from '../config/orchestrator-config.js';
import { evaluatorSetOf } from '../evaluators/evaluators.controller.js';
import { SubmissionView, SubmitBidDto, SubmitSealedDto } from './dto/submission.dto.js';
import { SubmissionsService } from './submissions.service.js';

/** The part of Express's response that sets the status of a repeat. */
interface StatusResponse {
  status(code: number): unknown;
}

/** Sealed submissions: bids from bidders and the operator's sealed reserve. */
@ApiTags('submissions')
@Controller('auctions/:id')
export class SubmissionsController {
  constructor(
    private readonly submissions: SubmissionsService,
    private readonly results: ResultsService,
    private readonly auctions: AuctionsService,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  @Post('submissions')
  @UseGuards(BidderGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Submit or amend a sealed bid; returns every evaluator receipt once all are stored (200 for a repeat)' })
  @ApiCreatedResponse({ type: SubmissionView })
  async submit(
    @Param('id', AUCTION_ID) _id: string,
    @CurrentBidder() bidder: AuthenticatedBidder,
    @Body() body: SubmitBidDto,
    @Res({ passthrough: true }) response: StatusResponse,
  ): Promise<SubmissionView> {
    const { view, created } = await this.submissions.submitBid(bidder, body);
    response.status(created ? 201 : 200);
    return view;
  }

  @Get('me')
  @UseGuards(BidderGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Read the calling bidder, its exclusion and its bid in force with receipts' })
  async me(@Param('id', AUCTION_ID) _id: string, @CurrentBidder() bidder: AuthenticatedBidder) {
    return { ...bidder, submission: await this.submissions.current(bidder) };
  }

  @Get('bidding')
  @UseGuards(BidderGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Read the auction, the evaluator set and the calling bidder in one request: what sealing a bid needs' })
  async bidding(@Param('id', AUCTION_ID) id: string, @CurrentBidder() bidder: AuthenticatedBidder) {
    return { auction: await this.auctions.get(id), evaluators: evaluatorSetOf(this.config), bidder };
  }

  @Get('won-bit')
  @UseGuards(BidderGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Read the sealed won-bit shares of the calling bidder (amount-only disclosure)' })
  wonBit(@Param('id', AUCTION_ID) _id: string, @CurrentBidder() bidder: AuthenticatedBidder): Promise<WonBitView> {
    return this.results.wonBit(bidder);
  }

  @Post('reserve')
  @UseGuards(OperatorGuard)
  @ApiSecurity('operator')
  @ApiOperation({ summary: 'Submit the sealed reserve (operator), one envelope per evaluator' })
  @ApiCreatedResponse({ type: SubmissionView })
  async reserve(
    @Param('id', AUCTION_ID) id: string,
    @Body() body: SubmitSealedDto,
    @Res({ passthrough: true }) response: StatusResponse,
  ): Promise<SubmissionView> {
    const { view, created } = await this.submissions.submitReserve(id, body);
    response.status(created ? 201 : 200);
    return view;
  }
}

