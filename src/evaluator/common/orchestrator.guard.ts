import { Inject, Injectable, Logger, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { HttpRequest as Request } from './http-types.js';

import type { EvaluatorConfig } from '../config/evaluator-config.js';
import { EVALUATOR_CONFIG } from './tokens.js';

/** Returns whether a request carries the orchestrator's bearer token; the comparison takes the same time for any token. */
export function carriesOrchestratorToken(headers: Record<string, string | string[] | undefined>, token: string): boolean {
  const match = /^Bearer (\S+)$/.exec(String(headers.authorization ?? ''));
  return match !== null && timingSafeEqual(digest(match[1]), digest(token));
}

/** Admits requests that carry the orchestrator's bearer token. */
@Injectable()
export class OrchestratorGuard implements CanActivate {
  private readonly logger = new Logger(OrchestratorGuard.name);
  private readonly expectedDigest: Buffer;

  constructor(@Inject(EVALUATOR_CONFIG) config: EvaluatorConfig) {
    this.expectedDigest = digest(config.orchestratorToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const header = String(request.headers.authorization ?? '');
    const match = /^Bearer (\S+)$/.exec(header);

    // Comparing digests keeps the comparison constant-time whatever the token length.
    if (!match || !timingSafeEqual(digest(match[1]), this.expectedDigest)) {
      this.logger.warn(`rejected ${request.method} ${request.path}: missing or wrong bearer token`);
      throw new UnauthorizedException('missing or wrong bearer token: send Authorization: Bearer <orchestrator token>');
    }
    return true;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
