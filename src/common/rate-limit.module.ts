/**
 * Rate limits on a service's HTTP API with @nestjs/throttler: each client
 * address may send `limit` requests per `windowMs`, counted over all routes.
 * Requests that carry the service's trusted credential (the operator key at
 * the orchestrator, the orchestrator's token at an evaluator) are not
 * counted, nor are WebSocket messages. Excess requests get 429.
 */
import { Module, type DynamicModule, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';

/** Request headers as Node's HTTP server parses them. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

export interface RateLimitSettings {
  /** Requests per window and client address; 0 turns the limit off. */
  limit: number;
  windowMs: number;
  /** Tells whether a request carries the trusted credential, which exempts it. */
  exempt(headers: RequestHeaders): boolean;
}

/**
 * Registers the throttler as a global guard; a limit of 0 registers nothing.
 * @nestjs/throttler 6 is CommonJS that requires the ESM-only @nestjs/common 12,
 * which Node 20.19 and later allow. It is imported only when a limit is set,
 * so Jest, which cannot load it, can run the apps in process with the limit off.
 */
@Module({})
export class RateLimitModule {
  static async forRoot(settings: RateLimitSettings): Promise<DynamicModule> {
    if (settings.limit === 0) {
      return { module: RateLimitModule };
    }
    const { ThrottlerGuard, ThrottlerModule } = await import('@nestjs/throttler');
    const seconds = settings.windowMs / 1000;
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'public', limit: settings.limit, ttl: settings.windowMs }],
          // One budget per client address across all routes; the default key is per route.
          generateKey: (_context: ExecutionContext, tracker: string, throttler: string) => `${throttler}:${tracker}`,
          // WebSocket messages reach gateways through the same global guards, but only HTTP is counted.
          skipIf: (context: ExecutionContext) => context.getType() !== 'http' || settings.exempt(requestHeaders(context)),
          errorMessage: `too many requests from this address: at most ${settings.limit} per ${seconds} s; wait and retry`,
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
    };
  }
}

function requestHeaders(context: ExecutionContext): RequestHeaders {
  return context.switchToHttp().getRequest<{ headers?: RequestHeaders }>().headers ?? {};
}
