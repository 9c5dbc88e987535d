import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';

import { jsonBodyProblem } from '../../common/json-parse-error.js';
import { DomainError } from './domain-errors.js';

/** The part of Express's response object that the filter uses. */
interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

/** JSON body of every error response. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  [detail: string]: unknown;
}

/**
 * Maps domain errors to their HTTP status, passes Nest's HTTP exceptions
 * (such as validation failures) through, and hides anything else behind a
 * generic 500 message after logging it.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainExceptionFilter.name);

  /** bodyLimitBytes is the body limit, which the error for a larger body names. */
  constructor(private readonly bodyLimitBytes: number) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      return;
    }
    const response = host.switchToHttp().getResponse<JsonResponse>();
    const body = this.toBody(exception);
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      return { ...exception.details, statusCode: exception.status, error: exception.code, message: exception.message };
    }
    if (exception instanceof HttpException && exception.getStatus() === 413) {
      const message = `the request body is larger than ${this.bodyLimitBytes} bytes, the most the orchestrator reads; send a smaller body`;
      return { statusCode: 413, error: 'payload-too-large', message };
    }
    if (exception instanceof HttpException) {
      return fromHttpException(exception);
    }

    // A driver's message may quote a statement parameter. The orchestrator's parameters hold no secret (envelopes are
    // sealed, and bidder tokens are stored as hashes), so the message and stack are logged to find the cause.
    const error = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error(`unhandled ${error.name}: ${error.message}`, error.stack);
    return { statusCode: 500, error: 'internal-error', message: 'internal server error; see the orchestrator log' };
  }
}

function fromHttpException(exception: HttpException): ErrorBody {
  const status = exception.getStatus();
  const bodyProblem = jsonBodyProblem(exception);
  if (bodyProblem !== null) {
    return { statusCode: status, error: errorCode(status), message: bodyProblem };
  }
  const response = exception.getResponse();
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const message = (response as { message: string | string[] }).message;
    return { statusCode: status, error: errorCode(status), message };
  }
  return { statusCode: status, error: errorCode(status), message: exception.message };
}

function errorCode(status: number): string {
  if (status === 400) return 'invalid-request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'state-conflict';
  if (status === 429) return 'too-many-requests';
  return 'http-error';
}
