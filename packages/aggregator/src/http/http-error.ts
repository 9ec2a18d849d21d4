import type { ServerResponse } from 'node:http';
import { encodeStatus } from '@driftwatch/otlp';
import type { FieldViolation } from '@driftwatch/otlp';

/** gRPC status codes used in google.rpc.Status bodies (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
export const GrpcCode = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** The gRPC code that corresponds to an HTTP status (after the gRPC HTTP-to-gRPC status mapping). */
export function grpcCodeForStatus(status: number): number {
  switch (status) {
    case 400:
    case 413:
    case 415:
    case 422:
      return GrpcCode.INVALID_ARGUMENT;
    case 401:
      return GrpcCode.UNAUTHENTICATED;
    case 403:
      return GrpcCode.PERMISSION_DENIED;
    case 404:
      return GrpcCode.NOT_FOUND;
    case 405:
    case 501:
      return GrpcCode.UNIMPLEMENTED;
    case 409:
      return GrpcCode.ABORTED;
    case 429:
      return GrpcCode.RESOURCE_EXHAUSTED;
    case 502:
    case 503:
    case 504:
      return GrpcCode.UNAVAILABLE;
    default:
      return status >= 500 ? GrpcCode.INTERNAL : GrpcCode.INVALID_ARGUMENT;
  }
}

export interface HttpErrorOptions {
  /** google.rpc.Status code of OTLP error bodies; defaults from the HTTP status (grpcCodeForStatus). */
  readonly grpcCode?: number;
  /** Sent as the `Retry-After` header (whole seconds). */
  readonly retryAfterSeconds?: number;
  /** Extra response headers (lower-case names), e.g. `allow` for 405. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Field violations sent as a google.rpc.BadRequest detail in OTLP error bodies. */
  readonly badRequest?: readonly FieldViolation[];
  readonly cause?: unknown;
}

/**
 * The one error type of the HTTP layer (OTLP receiver and admin API): a status code, a client-facing message,
 * and what the response needs beyond them. Throw it from handlers; `sendError` writes it.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly grpcCode: number;
  readonly retryAfterSeconds?: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly badRequest?: readonly FieldViolation[];

  constructor(status: number, message: string, options: HttpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new RangeError(`HttpError status must be a 4xx or 5xx code, got ${status}`);
    this.name = 'HttpError';
    this.status = status;
    this.grpcCode = options.grpcCode ?? grpcCodeForStatus(status);
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = Math.max(0, Math.ceil(options.retryAfterSeconds));
    this.headers = options.headers ?? {};
    if (options.badRequest !== undefined) this.badRequest = options.badRequest;
  }
}

export const badRequest = (message: string, violations?: readonly FieldViolation[]): HttpError =>
  new HttpError(400, message, violations === undefined ? {} : { badRequest: violations });

export const unauthorized = (message = 'missing or wrong bearer token'): HttpError =>
  new HttpError(401, message, { headers: { 'www-authenticate': 'Bearer' } });

export const forbidden = (message: string): HttpError => new HttpError(403, message);

export const notFound = (message: string): HttpError => new HttpError(404, message);

export const methodNotAllowed = (method: string, allowed: readonly string[]): HttpError =>
  new HttpError(405, `${method} is not allowed here; use ${allowed.join(' or ')}`, { headers: { allow: allowed.join(', ') } });

export const conflict = (message: string): HttpError => new HttpError(409, message);

export const payloadTooLarge = (maxBodyBytes: number, detail = 'the request body'): HttpError =>
  new HttpError(413, `${detail} is larger than the limit of ${maxBodyBytes} bytes`);

export const unsupportedMediaType = (message: string): HttpError => new HttpError(415, message);

export const unprocessable = (message: string): HttpError => new HttpError(422, message);

export const tooManyRequests = (retryAfterSeconds: number, message = 'too many requests'): HttpError =>
  new HttpError(429, message, { retryAfterSeconds });

export const serviceUnavailable = (retryAfterSeconds: number, message = 'the server is overloaded'): HttpError =>
  new HttpError(503, message, { retryAfterSeconds });

export const internalError = (cause?: unknown): HttpError => new HttpError(500, 'internal error', { cause });

/**
 * How an error body is written: `api` → `{ "error": message }` JSON; `protobuf` / `json` → a google.rpc.Status in
 * that OTLP encoding (the OTLP/HTTP failure body).
 */
export type ErrorFormat = 'api' | 'protobuf' | 'json';

const CONTENT_TYPES: Readonly<Record<ErrorFormat, string>> = {
  api: 'application/json; charset=utf-8',
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/**
 * Writes `err` as the response. An HttpError gives its status, message, `Retry-After` and extra headers; any other
 * value is a 500 with the generic message "internal error" (details are not leaked). When headers were already
 * sent the connection is destroyed instead.
 */
export function sendError(res: ServerResponse, err: unknown, format: ErrorFormat): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const e = err instanceof HttpError ? err : internalError(err);
  const body =
    format === 'api'
      ? Buffer.from(JSON.stringify({ error: e.message }))
      : encodeStatus({ code: e.grpcCode, message: e.message, ...(e.badRequest === undefined ? {} : { badRequest: [...e.badRequest] }) }, format);
  const headers: Record<string, string | number> = {
    ...e.headers,
    'content-type': CONTENT_TYPES[format],
    'content-length': body.length,
    'cache-control': 'no-store',
  };
  if (e.retryAfterSeconds !== undefined) headers['retry-after'] = String(e.retryAfterSeconds);
  res.writeHead(e.status, headers);
  res.end(body);
}
