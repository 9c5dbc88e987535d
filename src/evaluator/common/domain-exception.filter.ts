import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { HttpRequest as Request, HttpResponse as Response } from './http-types.js';

import { jsonBodyProblem } from '../../common/json-parse-error.js';
import { BODY_LIMIT_BYTES } from './body-limit.js';
import { DomainError } from './domain-error.js';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  [detail: string]: unknown;
}

const HTTP_CODES: Record<number, string> = {
  400: 'invalid-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  429: 'too-many-requests',
};

/**
 * Maps every error of an HTTP request to `{ statusCode, error, message }`.
 * Domain errors keep their code and message. Nest's HTTP exceptions (such as
 * validation failures) get a code from their status. Anything else is a 500
 * with a generic message, and its class name, message and stack are logged
 * with the request's method and path, never its body.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const body = this.toBody(exception, request);
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, request: Request): ErrorBody {
    if (exception instanceof DomainError) {
      return { ...exception.details, statusCode: exception.status, error: exception.code, message: exception.message };
    }
    if (exception instanceof HttpException && exception.getStatus() === 413) {
      return { statusCode: 413, error: 'payload-too-large', message: `the request body is larger than ${BODY_LIMIT_BYTES} bytes, the most an evaluator reads here; send a smaller body` };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { statusCode: status, error: HTTP_CODES[status] ?? 'http-error', message: httpMessage(exception) };
    }

    const error = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error(`${request.method} ${request.path} failed: ${error.name}: ${error.message}`, error.stack);
    return { statusCode: 500, error: 'internal-error', message: 'the evaluator failed to process the request; see its log' };
  }
}

function httpMessage(exception: HttpException): string {
  const bodyProblem = jsonBodyProblem(exception);
  if (bodyProblem !== null) {
    return bodyProblem;
  }
  const response = exception.getResponse();
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const message = (response as { message: unknown }).message;
    return Array.isArray(message) ? message.join('; ') : String(message);
  }
  return exception.message;
}
