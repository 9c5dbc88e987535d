/**
 * Lets Node run the TypeScript sources directly, without `npm run build`:
 *   node --import ./scripts/register-ts.mjs src/evaluator/main.ts
 * Files are compiled one by one with SWC, using the same options as the jest
 * transform (legacy decorators with metadata, as NestJS needs). There is no
 * type checking; `npm run typecheck` does that.
 */
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
