import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { OrchestratorGuard } from '../common/orchestrator.guard.js';
import { BatchIntakeService, type BatchOutcome } from './batch-intake.service.js';
import { EnvelopeBatchDto } from './dto/envelope-batch.dto.js';

/** Envelope intake in batches, which the orchestrator uses when many bids arrive at once. */
@ApiTags('envelopes')
@ApiBearerAuth()
@UseGuards(OrchestratorGuard)
@Controller('v1/envelope-batches')
export class EnvelopeBatchesController {
  constructor(private readonly intake: BatchIntakeService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Check and store many envelopes; returns one receipt or error per envelope, in order' })
  async submit(@Body() body: EnvelopeBatchDto): Promise<{ results: BatchOutcome[] }> {
    return { results: await this.intake.submit(body.envelopes) };
  }
}
