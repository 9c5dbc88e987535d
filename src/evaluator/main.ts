/** Entry point of an evaluator process: `node dist/src/evaluator/main.js`, configured by environment variables. */
import { Logger } from '@nestjs/common';

import { describeError } from '../common/config-error.js';
import { writeLogsPerTick } from '../common/per-tick-writes.js';
import { startEvaluator } from './bootstrap.js';
import { loadEvaluatorConfig } from './config/evaluator-config.js';

const logger = new Logger('Evaluator');

async function main(): Promise<void> {
  writeLogsPerTick();
  const evaluator = await startEvaluator(loadEvaluatorConfig());

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.log(`received ${signal}, shutting down`);
    evaluator.stop().then(
      () => process.exit(0),
      (error: Error) => {
        logger.error(`shutdown failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: Error) => {
  logger.error(`start-up failed: ${describeError(error)}`);
  process.exit(1);
});
