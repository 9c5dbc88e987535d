/**
 * Rate limits on the orchestrator's HTTP API with @nestjs/throttler: each
 * client address may send SEALBID_RATE_LIMIT requests per
 * SEALBID_RATE_LIMIT_WINDOW_MS to endpoints used without the operator key
 * (public reads, bidder calls, failed operator calls). Requests with the
 * valid operator key are not counted, nor are WebSocket messages or the
 * static web client files. Excess requests get 429.
 */
import { Module, type DynamicModule, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';

import type { OrchestratorConfig } from '../config/orchestrator-config.js';
import { carriesOperatorKey } from './operator.guard.js';

/**
 * Registers the throttler as a global guard; a limit of 0 registers nothing.
 * @nestjs/throttler 6 is CommonJS that requires the ESM-only @nestjs/common 12,
 * which Node 20.19 and later allow. It is imported only when a limit is set,
 * so Jest, which cannot load it, can run the app in process with the limit off.
 */
@Module({})
export class RateLimitModule {
  static async forRoot(config: OrchestratorConfig): Promise<DynamicModule> {
    if (config.rateLimit === 0) {
      return { module: RateLimitModule };
    }
    const { ThrottlerGuard, ThrottlerModule } = await import('@nestjs/throttler');
    const seconds = config.rateLimitWindowMs / 1000;
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'public', limit: config.rateLimit, ttl: config.rateLimitWindowMs }],
          // One budget per client address across all routes; the default key is per route.
          generateKey: (_context: ExecutionContext, tracker: string, throttler: string) => `${throttler}:${tracker}`,
          // WebSocket messages reach gateways through the same global guards, but only HTTP is counted.
          skipIf: (context: ExecutionContext) =>
            context.getType() !== 'http' || carriesOperatorKey(requestHeaders(context), config.operatorApiKey),
          errorMessage: `too many requests from this address: at most ${config.rateLimit} per ${seconds} s; wait and retry`,
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
    };
  }
}

function requestHeaders(context: ExecutionContext): Record<string, string | string[] | undefined> {
  return context.switchToHttp().getRequest<{ headers?: Record<string, string | string[] | undefined> }>().headers ?? {};
}
