import { createServer, get } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeStatus } from '@driftwatch/otlp';
import { describe, expect, it } from 'vitest';
import {
  badRequest,
  conflict,
  grpcCodeForStatus,
  HttpError,
  internalError,
  methodNotAllowed,
  notFound,
  payloadTooLarge,
  sendError,
  serviceUnavailable,
  tooManyRequests,
  unauthorized,
  unsupportedMediaType,
} from './http-error.js';
import type { ErrorFormat } from './http-error.js';

/** Serves one request answered by sendError(err, format) and returns what the client saw. */
async function render(err: unknown, format: ErrorFormat): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const server = createServer((_req, res) => sendError(res, err, format));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await new Promise((resolve, reject) => {
      get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/' }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('HttpError', () => {
  it('carries status, gRPC code, Retry-After and headers from the helpers', () => {
    expect(badRequest('x')).toMatchObject({ status: 400, grpcCode: 3, message: 'x' });
    expect(unauthorized()).toMatchObject({ status: 401, grpcCode: 16, headers: { 'www-authenticate': 'Bearer' } });
    expect(notFound('gone')).toMatchObject({ status: 404, grpcCode: 5 });
    expect(methodNotAllowed('GET', ['POST'])).toMatchObject({ status: 405, message: 'GET is not allowed here; use POST', headers: { allow: 'POST' } });
    expect(conflict('c').status).toBe(409);
    expect(payloadTooLarge(10)).toMatchObject({ status: 413, message: 'the request body is larger than the limit of 10 bytes' });
    expect(unsupportedMediaType('m').status).toBe(415);
    expect(tooManyRequests(2.2)).toMatchObject({ status: 429, grpcCode: 8, retryAfterSeconds: 3 });
    expect(serviceUnavailable(1)).toMatchObject({ status: 503, grpcCode: 14, retryAfterSeconds: 1 });
    expect(internalError(new Error('x'))).toMatchObject({ status: 500, grpcCode: 13, message: 'internal error' });
    expect(new HttpError(422, 'bad', { grpcCode: 9 }).grpcCode).toBe(9);
    expect(grpcCodeForStatus(418)).toBe(3);
    expect(grpcCodeForStatus(507)).toBe(13);
    expect(() => new HttpError(200, 'ok')).toThrow('HttpError status must be a 4xx or 5xx code, got 200');
  });

  it('sendError writes { "error": message } for the API', async () => {
    const r = await render(new HttpError(409, 'limit reached'), 'api');
    expect(r.status).toBe(409);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(r.body.toString())).toEqual({ error: 'limit reached' });
  });

  it('sendError writes a google.rpc.Status for OTLP, with Retry-After and extra headers', async () => {
    const busy = await render(serviceUnavailable(4, 'queue full'), 'protobuf');
    expect(busy.status).toBe(503);
    expect(busy.headers['content-type']).toBe('application/x-protobuf');
    expect(busy.headers['retry-after']).toBe('4');
    expect(decodeStatus(busy.body, 'protobuf')).toEqual({ code: 14, message: 'queue full' });

    const bad = await render(badRequest('undecodable', [{ field: 'resourceMetrics[0]', description: 'truncated varint' }]), 'json');
    expect(bad.headers['content-type']).toBe('application/json');
    expect(decodeStatus(bad.body, 'json')).toEqual({ code: 3, message: 'undecodable', badRequest: [{ field: 'resourceMetrics[0]', description: 'truncated varint' }] });

    const auth = await render(unauthorized(), 'json');
    expect(auth.headers['www-authenticate']).toBe('Bearer');
  });

  it('sendError hides anything that is not an HttpError behind a 500', async () => {
    const r = await render(new Error('secret internals'), 'api');
    expect(r.status).toBe(500);
    expect(JSON.parse(r.body.toString())).toEqual({ error: 'internal error' });
    const o = await render('a string', 'protobuf');
    expect(decodeStatus(o.body, 'protobuf')).toEqual({ code: 13, message: 'internal error' });
  });
});
