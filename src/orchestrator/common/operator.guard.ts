import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';

import type { OrchestratorConfig } from '../config/orchestrator-config.js';
import { UnauthorizedError } from './domain-errors.js';
import { ORCHESTRATOR_CONFIG } from './tokens.js';

/** Header that carries the operator API key. */
export const OPERATOR_KEY_HEADER = 'x-api-key';

/** Returns whether a request carries the operator API key; the comparison takes the same time for any key. */
export function carriesOperatorKey(headers: Record<string, string | string[] | undefined>, operatorApiKey: string): boolean {
  const given = headers[OPERATOR_KEY_HEADER];
  return typeof given === 'string' && given !== '' && timingSafeEqual(digest(given), digest(operatorApiKey));
}

/** Admits a request only when it carries the operator API key in the X-API-Key header. */
@Injectable()
export class OperatorGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(ORCHESTRATOR_CONFIG) config: OrchestratorConfig) {
    this.expected = digest(config.operatorApiKey);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const given = request.headers[OPERATOR_KEY_HEADER];
    if (typeof given !== 'string' || given === '') {
      throw new UnauthorizedError('missing operator API key: send it in the X-API-Key header');
    }
    // Comparing fixed-length digests keeps the comparison time independent of the key.
    if (!timingSafeEqual(digest(given), this.expected)) {
      throw new UnauthorizedError('invalid operator API key');
    }
    return true;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
