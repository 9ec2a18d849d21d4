import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  decodeLogsJson,
  decodeLogsProtobuf,
  decodeMetricsJson,
  decodeMetricsProtobuf,
  encodeExportLogsResponse,
  encodeExportMetricsResponse,
  OtlpDecodeError,
} from '@driftwatch/otlp';
import type { ExportLogsServiceRequest, ExportMetricsServiceRequest, LogsPartialSuccess, MetricsPartialSuccess, WireFormat } from '@driftwatch/otlp';
import { hasBearerToken } from './bearer-auth.js';
import { badRequest, HttpError, methodNotAllowed, notFound, sendError, serviceUnavailable, unauthorized, unsupportedMediaType } from './http-error.js';
import { DEFAULT_MAX_BODY_BYTES, readBody } from './read-body.js';

export type OtlpSignal = 'metrics' | 'logs';

/** Default bound of the ingest queue: requests admitted (being received, waiting or being processed). */
export const DEFAULT_MAX_QUEUE_DEPTH = 64;
/** Default `Retry-After` sent with 503 when the ingest queue is full. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

export interface OtlpReceiverOptions {
  /** Limit on a request body after decompression (and on the bytes received); 413 beyond. Default 64 MiB. */
  readonly maxBodyBytes?: number;
  /**
   * Most requests admitted at once (being received, queued, or being processed); further requests get 503 with
   * `Retry-After`. Bounds memory to about maxQueueDepth × maxBodyBytes. Default 64.
   */
  readonly maxQueueDepth?: number;
  /** `Retry-After` seconds on 503 when the queue is full. Default 1. */
  readonly retryAfterSeconds?: number;
  /** When set, requests must carry `Authorization: Bearer <ingestToken>` (401 otherwise). */
  readonly ingestToken?: string;
  /**
   * Consumes one decoded metrics request (synchronously, one request at a time, from the queue consumer) and says
   * how many points it rejected and why. Absent: `/v1/metrics` is 404.
   */
  readonly onMetrics?: (request: ExportMetricsServiceRequest) => MetricsPartialSuccess;
  /** Consumes one decoded logs request, like onMetrics. Absent: `/v1/logs` is 404. */
  readonly onLogs?: (request: ExportLogsServiceRequest) => LogsPartialSuccess;
  /** Called once per response on `/v1/metrics` and `/v1/logs` with its HTTP status (for `driftwatch_ingest_requests_total`). */
  readonly onRequest?: (signal: OtlpSignal, status: number) => void;
  /** Called whenever the number of admitted requests changes (for `driftwatch_ingest_queue_depth`). */
  readonly onQueueDepth?: (depth: number) => void;
  /** Called with unexpected errors (a handler that throws); the client gets a 500. */
  readonly onError?: (err: unknown) => void;
}

/** A node:http request handler serving `POST /v1/metrics` and `POST /v1/logs` (OTLP/HTTP, protobuf and JSON). */
export interface OtlpReceiver {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Requests admitted and not yet answered. */
  readonly queueDepth: number;
  /** Stops admitting requests (503 from now on) and resolves once every admitted request has been answered. */
  close(): Promise<void>;
}

interface Job {
  readonly signal: OtlpSignal;
  readonly format: WireFormat;
  readonly body: Buffer;
  readonly res: ServerResponse;
}

const CONTENT_TYPES: Readonly<Record<WireFormat, string>> = { protobuf: 'application/x-protobuf', json: 'application/json' };
const utf8 = new TextDecoder('utf-8', { fatal: true });

function jsonText(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw badRequest('the OTLP/JSON body is not valid UTF-8');
  }
}

/** `application/x-protobuf` → protobuf, `application/json` → json (parameters such as charset are ignored). */
export function wireFormatOf(contentType: string | undefined): WireFormat | undefined {
  if (contentType === undefined) return undefined;
  const media = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (media === 'application/x-protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return undefined;
}

function signalOf(url: string | undefined): OtlpSignal | undefined {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  if (path === '/v1/metrics') return 'metrics';
  if (path === '/v1/logs') return 'logs';
  return undefined;
}

function positiveInteger(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`createOtlpReceiver: ${field} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Creates the OTLP/HTTP receiver (https://opentelemetry.io/docs/specs/otlp/#otlphttp):
 * - `POST /v1/metrics`, `POST /v1/logs` with `Content-Type: application/x-protobuf` or `application/json`
 *   (415 otherwise; the response uses the request's encoding), optionally `Content-Encoding: gzip`;
 * - 200 with an empty Export*ServiceResponse, or with `partialSuccess` when the handler rejected some data;
 * - 400 + google.rpc.Status (with a BadRequest detail naming the bad field) for undecodable bodies — not retryable;
 * - 413 over `maxBodyBytes` after decompression, 401 without the ingest token, 405 for other methods, 404 for
 *   other paths;
 * - 503 + `Retry-After` when `maxQueueDepth` requests are already admitted. 503 rather than 429 because a full
 *   queue means the server as a whole is overloaded, not that this client exceeded a quota of its own; both are
 *   retryable in the OTLP spec and the OpenTelemetry exporters honour `Retry-After` for both.
 *
 * Bodies are received concurrently; decoding and the handlers run one request at a time from a FIFO queue,
 * one request per event-loop turn, so ingestion never starves other I/O (the /metrics scrape, the API).
 */
export function createOtlpReceiver(options: OtlpReceiverOptions): OtlpReceiver {
  const maxBodyBytes = positiveInteger(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 'maxBodyBytes');
  const maxQueueDepth = positiveInteger(options.maxQueueDepth, DEFAULT_MAX_QUEUE_DEPTH, 'maxQueueDepth');
  const retryAfterSeconds = positiveInteger(options.retryAfterSeconds, DEFAULT_RETRY_AFTER_SECONDS, 'retryAfterSeconds');
  if (options.ingestToken !== undefined && options.ingestToken.trim() === '') throw new Error('createOtlpReceiver: ingestToken must not be empty');

  const { onMetrics, onLogs } = options;
  const pending: Job[] = [];
  let depth = 0;
  let draining = false;
  let closing = false;
  let idle: (() => void) | undefined;

  const setDepth = (n: number): void => {
    depth = n;
    options.onQueueDepth?.(n);
    if (n === 0 && idle) {
      idle();
      idle = undefined;
    }
  };

  const respond = (signal: OtlpSignal, res: ServerResponse, status: number, format: WireFormat, body: Uint8Array): void => {
    options.onRequest?.(signal, status);
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': CONTENT_TYPES[format], 'content-length': body.length });
    res.end(body);
  };

  /** Answers with an error. `closeConnection`: the upload was cut short, so close rather than read the rest. */
  const fail = (signal: OtlpSignal | undefined, res: ServerResponse, err: unknown, format: WireFormat, closeConnection = false): void => {
    if (signal !== undefined) options.onRequest?.(signal, err instanceof HttpError ? err.status : 500);
    if (!(err instanceof HttpError)) options.onError?.(err);
    if (res.destroyed) return;
    if (closeConnection) res.setHeader('connection', 'close');
    sendError(res, err, format);
  };

  const processJob = ({ signal, format, body, res }: Job): void => {
    try {
      if (signal === 'metrics' && onMetrics !== undefined) {
        const request = format === 'protobuf' ? decodeMetricsProtobuf(body) : decodeMetricsJson(jsonText(body));
        respond(signal, res, 200, format, encodeExportMetricsResponse(onMetrics(request), format));
      } else if (signal === 'logs' && onLogs !== undefined) {
        const request = format === 'protobuf' ? decodeLogsProtobuf(body) : decodeLogsJson(jsonText(body));
        respond(signal, res, 200, format, encodeExportLogsResponse(onLogs(request), format));
      }
    } catch (err) {
      if (err instanceof OtlpDecodeError) {
        const what = signal === 'metrics' ? 'ExportMetricsServiceRequest' : 'ExportLogsServiceRequest';
        fail(signal, res, badRequest(`undecodable ${format} ${what}: ${err.message}`, [{ field: err.path, description: err.reason }]), format);
      } else {
        fail(signal, res, err, format);
      }
    }
  };

  const drain = (): void => {
    const job = pending.shift();
    if (job === undefined) {
      draining = false;
      return;
    }
    try {
      processJob(job);
    } finally {
      setDepth(depth - 1);
      setImmediate(drain);
    }
  };

  const enqueue = (job: Job): void => {
    pending.push(job);
    if (!draining) {
      draining = true;
      setImmediate(drain);
    }
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const signal = signalOf(req.url);
    const format = wireFormatOf(req.headers['content-type']) ?? 'json';
    if (signal === undefined || (signal === 'metrics' ? onMetrics : onLogs) === undefined) {
      fail(undefined, res, notFound(`no OTLP endpoint at ${req.method ?? 'GET'} ${req.url ?? '/'}; use POST /v1/metrics or /v1/logs`), format);
      return;
    }
    if (req.method !== 'POST') {
      fail(signal, res, methodNotAllowed(req.method ?? 'GET', ['POST']), format);
      return;
    }
    if (!hasBearerToken(req, options.ingestToken)) {
      fail(signal, res, unauthorized('OTLP ingestion needs Authorization: Bearer <ingest token>'), format);
      return;
    }
    if (wireFormatOf(req.headers['content-type']) === undefined) {
      const got = req.headers['content-type'] === undefined ? 'no Content-Type' : `Content-Type "${req.headers['content-type']}"`;
      fail(signal, res, unsupportedMediaType(`${got}; OTLP/HTTP needs application/x-protobuf or application/json`), format);
      return;
    }
    if (closing) {
      fail(signal, res, serviceUnavailable(retryAfterSeconds, 'the receiver is shutting down'), format);
      return;
    }
    if (depth >= maxQueueDepth) {
      fail(signal, res, serviceUnavailable(retryAfterSeconds, `the ingest queue is full (${maxQueueDepth} requests); retry later`), format);
      return;
    }
    setDepth(depth + 1);
    readBody(req, { maxBodyBytes }).then(
      (body) => enqueue({ signal, format, body, res }),
      (err: unknown) => {
        setDepth(depth - 1);
        fail(signal, res, err, format, !req.complete);
      },
    );
  };

  return Object.defineProperties(handler, {
    queueDepth: { get: () => depth, enumerable: true },
    close: {
      value: (): Promise<void> => {
        closing = true;
        return depth === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = resolve));
      },
    },
  }) as OtlpReceiver;
}
