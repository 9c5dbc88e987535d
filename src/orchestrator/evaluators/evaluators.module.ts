import { Module } from '@nestjs/common';

import { EvaluatorClient } from './evaluator-client.js';
import { EvaluatorsController } from './evaluators.controller.js';

/** Access to the evaluator services and their pinned identities. */
@Module({
  controllers: [EvaluatorsController],
  providers: [EvaluatorClient],
  exports: [EvaluatorClient],
})
export class EvaluatorsModule {}
