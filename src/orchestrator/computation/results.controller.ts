import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';

import { AUCTION_ID } from '../common/auction-id.pipe.js';
import { OperatorGuard } from '../common/operator.guard.js';
import { ResultView } from './result-view.js';
import { ResultsService } from './results.service.js';

/** Published results and, for the operator, the submission set they were computed over. */
@ApiTags('results')
@Controller('auctions/:id')
export class ResultsController {
  constructor(private readonly results: ResultsService) {}

  @Get('result')
  @ApiOperation({ summary: 'Read the published result with every evaluator signature' })
  @ApiOkResponse({ type: ResultView })
  result(@Param('id', AUCTION_ID) id: string): Promise<ResultView> {
    return this.results.get(id);
  }

  @Get('submission-set')
  @UseGuards(OperatorGuard)
  @ApiSecurity('operator')
  @ApiOperation({ summary: 'Read the ordered submission set of the latest computation (operator)' })
  submissionSet(@Param('id', AUCTION_ID) id: string) {
    return this.results.submissionSet(id);
  }
}
