import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, Matches } from 'class-validator';

import { ID_PATTERN, ID_RULE } from '../../common/ids.js';
import { SubmitEnvelopeDto } from './submit-envelope.dto.js';

/** Maximum number of envelopes in one batch request. */
export const MAX_BATCH_ENVELOPES = 256;

/** One envelope of a batch: the single-envelope body plus the auction it belongs to. */
export class BatchEnvelopeDto extends SubmitEnvelopeDto {
  @ApiProperty({ example: 'a-1' })
  @Matches(ID_PATTERN, { message: `auctionId must be ${ID_RULE}` })
  auctionId!: string;
}

/**
 * Body of POST /v1/envelope-batches. Only the list itself is validated here.
 * The service validates each item separately, so one malformed envelope
 * gets its own error and the others are still stored.
 */
export class EnvelopeBatchDto {
  @ApiProperty({ type: [BatchEnvelopeDto], maxItems: MAX_BATCH_ENVELOPES })
  @IsArray({ message: 'envelopes must be an array' })
  @ArrayMinSize(1, { message: 'envelopes must hold at least one envelope' })
  @ArrayMaxSize(MAX_BATCH_ENVELOPES, { message: `envelopes may hold at most ${MAX_BATCH_ENVELOPES} envelopes; split the batch` })
  @IsObject({ each: true, message: 'every item of envelopes must be an object' })
  envelopes!: object[];
}
