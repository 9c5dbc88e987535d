import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

/** Liveness probe. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  @Get()
  @ApiOperation({ summary: 'Report that the orchestrator is up' })
  health(): { status: 'ok'; role: 'orchestrator' } {
    return { status: 'ok', role: 'orchestrator' };
  }
}
