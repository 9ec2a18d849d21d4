/**
 * The one error type of the model server's HTTP layer, and the express error
 * handler that maps errors to status codes:
 *
 * - {@link HttpError} → its status, `{ error: message }`;
 * - body-parser failures → 400 (malformed JSON) or 413 (body too large);
 * - anything else → 500 with a generic message (the error is logged, not leaked).
 */
import type { ErrorRequestHandler } from 'express';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** A 400 naming what is wrong with the request. */
export const badRequest = (message: string): HttpError => new HttpError(400, message);

interface BodyParserError {
  type: string;
  status?: number;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string' && 'status' in error;

/** Maps an error to a status and a message that is safe to return. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (isBodyParserError(error)) {
    if (error.type === 'entity.parse.failed') return new HttpError(400, 'request body is not valid JSON');
    if (error.type === 'entity.too.large') return new HttpError(413, 'request body is too large');
    if (error.status !== undefined && error.status >= 400 && error.status < 500) return new HttpError(error.status, `bad request body (${error.type})`);
  }
  return new HttpError(500, 'internal error');
}

/** Express error middleware using {@link toHttpError}; logs 5xx errors with `log`. */
export function httpErrorHandler(log: (message: string) => void = (m) => console.error(m)): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const mapped = toHttpError(error);
    if (mapped.status >= 500) log(`model server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    res.status(mapped.status).json({ error: mapped.message });
  };
}
