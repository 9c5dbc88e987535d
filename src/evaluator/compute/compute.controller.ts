import { Body, Controller, Get, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';

import { badRequest } from '../common/domain-error.js';
import type { HttpResponse } from '../common/http-types.js';
import { AuctionIdPipe } from '../common/id.pipe.js';
import { ID_PATTERN, ID_RULE } from '../common/ids.js';
import { OrchestratorGuard } from '../common/orchestrator.guard.js';
import { ComputeService, MAX_WAIT_MS } from './compute.service.js';
import { ComputeBodyPipe, ComputeDto, type ComputeRequest } from './dto/compute.dto.js';
import type { RunView } from './run-view.js';

/** Computation runs requested by the orchestrator, and their signed results. */
@ApiTags('compute')
@ApiBearerAuth()
@UseGuards(OrchestratorGuard)
@Controller('v1/auctions')
export class ComputeController {
  constructor(private readonly compute: ComputeService) {}

  /**
   * Starts the run. With waitMs > 0 the response waits until the run ends
   * or waitMs passes and carries the whole view, as the result request
   * would, which saves the caller that request.
   */
  @Post(':auctionId/compute')
  @ApiOperation({ summary: 'Agree on the submission set with the peers, then compute the outcome in the background' })
  @ApiBody({ type: ComputeDto })
  @ApiQuery({ name: 'waitMs', required: false, description: `wait up to this many milliseconds (at most ${MAX_WAIT_MS}) for the run to end` })
  async start(
    @Param('auctionId', AuctionIdPipe) auctionId: string,
    @Body(ComputeBodyPipe) body: ComputeRequest,
    @Res({ passthrough: true }) response: HttpResponse,
    @Query('waitMs') waitMs?: string,
  ): Promise<RunView | Pick<RunView, 'runId' | 'state' | 'submissionSetHash'>> {
    const wait = parseWait(waitMs);
    const { view, created } = await this.compute.start(auctionId, body);
    response.status(created ? 202 : 200);
    if (wait > 0) {
      return this.compute.status(auctionId, view.runId, wait);
    }
    return { runId: view.runId, state: view.state, submissionSetHash: view.submissionSetHash };
  }

  @Get(':auctionId/result')
  @ApiOperation({ summary: 'Return the state of a run and, when completed, its signed outcome' })
  @ApiQuery({ name: 'runId', required: false })
  @ApiQuery({ name: 'waitMs', required: false, description: `wait up to this many milliseconds (at most ${MAX_WAIT_MS}) for a run in progress to end` })
  async result(
    @Param('auctionId', AuctionIdPipe) auctionId: string,
    @Query('runId') runId?: string,
    @Query('waitMs') waitMs?: string,
  ): Promise<RunView> {
    if (runId !== undefined && !ID_PATTERN.test(runId)) {
      throw badRequest('invalid-request', `runId must be ${ID_RULE}`);
    }
    return this.compute.status(auctionId, runId, parseWait(waitMs));
  }
}

function parseWait(text: string | undefined): number {
  if (text === undefined) {
    return 0;
  }
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > MAX_WAIT_MS) {
    throw badRequest('invalid-request', `waitMs must be a whole number of milliseconds from 0 to ${MAX_WAIT_MS}, got "${text}"`);
  }
  return value;
}
