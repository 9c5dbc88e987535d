/** The parts of Express's request and response that the evaluator uses (no @types/express is installed). */
export interface HttpRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): void;
}
