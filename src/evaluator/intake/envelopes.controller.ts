import { Body, Controller, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AuctionIdPipe } from '../common/id.pipe.js';
import type { HttpResponse } from '../common/http-types.js';
import { OrchestratorGuard } from '../common/orchestrator.guard.js';
import { SubmitEnvelopeDto } from './dto/submit-envelope.dto.js';
import { IntakeService, type SignedReceipt } from './intake.service.js';

/** Envelope intake, relayed by the orchestrator. */
@ApiTags('envelopes')
@ApiBearerAuth()
@UseGuards(OrchestratorGuard)
@Controller('v1/auctions')
export class EnvelopesController {
  constructor(private readonly intake: IntakeService) {}

  @Post(':auctionId/envelopes')
  @ApiOperation({ summary: 'Check and store an envelope sealed to this evaluator, and return a signed receipt' })
  async submit(
    @Param('auctionId', AuctionIdPipe) auctionId: string,
    @Body() body: SubmitEnvelopeDto,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<SignedReceipt> {
    const { signed, created } = await this.intake.submit(auctionId, body);
    response.status(created ? 201 : 200);
    return signed;
  }
}
