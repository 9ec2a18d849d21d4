import { Agent, createServer, request } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  decodeExportLogsResponse,
  decodeExportMetricsResponse,
  decodeStatus,
  encodeLogsJson,
  encodeLogsProtobuf,
  encodeMetricsJson,
  encodeMetricsProtobuf,
  sampleLogsRequest,
  sampleMetricsRequest,
} from '@driftwatch/otlp';
import type { ExportLogsServiceRequest, ExportMetricsServiceRequest, LogsPartialSuccess, MetricsPartialSuccess } from '@driftwatch/otlp';
import { afterEach, describe, expect, it } from 'vitest';
import { createOtlpReceiver } from './otlp-receiver.js';
import type { OtlpReceiver, OtlpReceiverOptions } from './otlp-receiver.js';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface Harness {
  port: number;
  receiver: OtlpReceiver;
  metrics: ExportMetricsServiceRequest[];
  logs: ExportLogsServiceRequest[];
  requests: string[];
  depths: number[];
  errors: unknown[];
}

const servers: Server[] = [];
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  for (const s of servers) s.closeAllConnections();
});

async function start(
  options: Partial<OtlpReceiverOptions> = {},
  results: { metrics?: MetricsPartialSuccess; logs?: LogsPartialSuccess } = {},
): Promise<Harness> {
  const h: Omit<Harness, 'port' | 'receiver'> = { metrics: [], logs: [], requests: [], depths: [], errors: [] };
  const receiver = createOtlpReceiver({
    onMetrics: (req) => {
      h.metrics.push(req);
      return results.metrics ?? { rejectedDataPoints: 0, errorMessage: '' };
    },
    onLogs: (req) => {
      h.logs.push(req);
      return results.logs ?? { rejectedLogRecords: 0, errorMessage: '' };
    },
    onRequest: (signal, status) => h.requests.push(`${signal} ${status}`),
    onQueueDepth: (depth) => h.depths.push(depth),
    onError: (err) => h.errors.push(err),
    ...options,
  });
  const server = createServer(receiver);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { ...h, port: (server.address() as AddressInfo).port, receiver };
}

function send(port: number, method: string, path: string, body: Uint8Array | undefined, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : Buffer.from(body));
  });
}

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('OTLP/HTTP receiver', () => {
  it('accepts protobuf and JSON metrics: 200 with an empty response in the request encoding', async () => {
    const h = await start();
    const pb = await send(h.port, 'POST', '/v1/metrics', encodeMetricsProtobuf(sampleMetricsRequest()), PROTOBUF);
    expect(pb.status).toBe(200);
    expect(pb.headers['content-type']).toBe('application/x-protobuf');
    expect(pb.body.length).toBe(0);
    const js = await send(h.port, 'POST', '/v1/metrics?x=1', utf8(encodeMetricsJson(sampleMetricsRequest())), { 'content-type': 'application/json; charset=utf-8' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('application/json');
    expect(js.body.toString()).toBe('{}');
    expect(h.metrics).toEqual([sampleMetricsRequest(), sampleMetricsRequest()]);
    expect(h.requests).toEqual(['metrics 200', 'metrics 200']);
    expect(h.depths.at(-1)).toBe(0);
    expect(Math.max(...h.depths)).toBeGreaterThanOrEqual(1);
  });

  it('accepts protobuf and JSON logs', async () => {
    const h = await start();
    expect((await send(h.port, 'POST', '/v1/logs', encodeLogsProtobuf(sampleLogsRequest()), PROTOBUF)).status).toBe(200);
    const js = await send(h.port, 'POST', '/v1/logs', utf8(encodeLogsJson(sampleLogsRequest())), JSON_TYPE);
    expect(js.status).toBe(200);
    expect(js.body.toString()).toBe('{}');
    expect(h.logs).toEqual([sampleLogsRequest(), sampleLogsRequest()]);
    expect(h.requests).toEqual(['logs 200', 'logs 200']);
  });

  it('answers partial success with 200 and partialSuccess in both encodings', async () => {
    const metrics = { rejectedDataPoints: 3, errorMessage: '3 points lack ml.model.name' };
    const logs = { rejectedLogRecords: 1, errorMessage: 'one record without ml.prediction.id' };
    const h = await start({}, { metrics, logs });
    for (const [format, headers] of [['protobuf', PROTOBUF], ['json', JSON_TYPE]] as const) {
      const body = format === 'protobuf' ? encodeMetricsProtobuf(sampleMetricsRequest()) : utf8(encodeMetricsJson(sampleMetricsRequest()));
      const r = await send(h.port, 'POST', '/v1/metrics', body, headers);
      expect(r.status).toBe(200);
      expect(decodeExportMetricsResponse(r.body, format)).toEqual(metrics);
      const lbody = format === 'protobuf' ? encodeLogsProtobuf(sampleLogsRequest()) : utf8(encodeLogsJson(sampleLogsRequest()));
      const l = await send(h.port, 'POST', '/v1/logs', lbody, headers);
      expect(l.status).toBe(200);
      expect(decodeExportLogsResponse(l.body, format)).toEqual(logs);
    }
  });

  it('accepts gzip request bodies', async () => {
    const h = await start();
    const pb = await send(h.port, 'POST', '/v1/metrics', gzipSync(encodeMetricsProtobuf(sampleMetricsRequest())), { ...PROTOBUF, 'content-encoding': 'gzip' });
    const js = await send(h.port, 'POST', '/v1/logs', gzipSync(encodeLogsJson(sampleLogsRequest())), { ...JSON_TYPE, 'content-encoding': 'GZIP' });
    expect([pb.status, js.status]).toEqual([200, 200]);
    expect(h.metrics).toEqual([sampleMetricsRequest()]);
    expect(h.logs).toEqual([sampleLogsRequest()]);
  });

  it('answers an empty request with success', async () => {
    const h = await start();
    expect((await send(h.port, 'POST', '/v1/metrics', new Uint8Array(0), PROTOBUF)).status).toBe(200);
    expect((await send(h.port, 'POST', '/v1/metrics', utf8('{}'), JSON_TYPE)).status).toBe(200);
    expect(h.metrics).toEqual([{ resourceMetrics: [] }, { resourceMetrics: [] }]);
  });

  it('400 with a google.rpc.Status naming the bad field for undecodable bodies', async () => {
    const h = await start();
    const bad = Uint8Array.from([0x0a, 0x03, 0x12, 0x05, 0x00]); // resourceMetrics[0].scopeMetrics length past the end
    const pb = await send(h.port, 'POST', '/v1/metrics', bad, PROTOBUF);
    expect(pb.status).toBe(400);
    expect(pb.headers['content-type']).toBe('application/x-protobuf');
    const status = decodeStatus(pb.body, 'protobuf');
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/^undecodable protobuf ExportMetricsServiceRequest: resourceMetrics\[0\]: length 5 at offset 3 exceeds the 1 bytes left$/);
    expect(status.badRequest).toEqual([{ field: 'resourceMetrics[0]', description: 'length 5 at offset 3 exceeds the 1 bytes left' }]);

    const js = await send(h.port, 'POST', '/v1/logs', utf8('{"resourceLogs": [{"scopeLogs": 7}]}'), JSON_TYPE);
    expect(js.status).toBe(400);
    expect(js.headers['content-type']).toBe('application/json');
    expect(decodeStatus(js.body, 'json')).toEqual({
      code: 3,
      message: 'undecodable json ExportLogsServiceRequest: resourceLogs[0].scopeLogs: expected an array, got 7',
      badRequest: [{ field: 'resourceLogs[0].scopeLogs', description: 'expected an array, got 7' }],
    });

    const notUtf8 = await send(h.port, 'POST', '/v1/metrics', Uint8Array.from([0x7b, 0xff, 0x7d]), JSON_TYPE);
    expect(notUtf8.status).toBe(400);
    expect(decodeStatus(notUtf8.body, 'json').message).toBe('the OTLP/JSON body is not valid UTF-8');

    const corruptGzip = await send(h.port, 'POST', '/v1/metrics', Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]), { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect(corruptGzip.status).toBe(400);
    expect(decodeStatus(corruptGzip.body, 'protobuf').message).toMatch(/^the gzip request body is corrupt: /);
    expect(h.metrics).toEqual([]);
    expect(h.requests).toEqual(['metrics 400', 'logs 400', 'metrics 400', 'metrics 400']);
  });

  it('413 over maxBodyBytes: declared, streamed without a length, and after decompression (gzip bomb)', async () => {
    const h = await start({ maxBodyBytes: 64 * 1024 });
    const big = new Uint8Array(100 * 1024);
    const declared = await send(h.port, 'POST', '/v1/metrics', big, PROTOBUF);
    expect(declared.status).toBe(413);
    expect(decodeStatus(declared.body, 'protobuf').message).toBe('the request body of 102400 bytes is larger than the limit of 65536 bytes');

    const chunked = await new Promise<Reply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: h.port, method: 'POST', path: '/v1/metrics', headers: { ...JSON_TYPE, 'transfer-encoding': 'chunked' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write(Buffer.alloc(16 * 1024, 0x20));
      req.end();
    });
    expect(chunked.status).toBe(413);
    expect(chunked.headers.connection).toBe('close');

    const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024)); // 32 MiB of zeros in ~32 KiB
    expect(bomb.length).toBeLessThan(64 * 1024);
    const inflated = await send(h.port, 'POST', '/v1/metrics', bomb, { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect(inflated.status).toBe(413);
    expect(decodeStatus(inflated.body, 'protobuf').message).toBe('the decompressed request body is larger than the limit of 65536 bytes');

    // still serving
    expect((await send(h.port, 'POST', '/v1/metrics', encodeMetricsProtobuf(sampleMetricsRequest()), PROTOBUF)).status).toBe(200);
    expect(h.requests).toEqual(['metrics 413', 'metrics 413', 'metrics 413', 'metrics 200']);
    expect(h.depths.at(-1)).toBe(0);
  });

  it('415 for other content types and content encodings', async () => {
    const h = await start();
    const text = await send(h.port, 'POST', '/v1/metrics', utf8('hello'), { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(decodeStatus(text.body, 'json').message).toBe('Content-Type "text/plain"; OTLP/HTTP needs application/x-protobuf or application/json');
    expect((await send(h.port, 'POST', '/v1/logs', utf8('{}'), {})).status).toBe(415);
    const br = await send(h.port, 'POST', '/v1/metrics', new Uint8Array([1]), { ...PROTOBUF, 'content-encoding': 'br' });
    expect(br.status).toBe(415);
    expect(br.headers['content-type']).toBe('application/x-protobuf');
    expect(decodeStatus(br.body, 'protobuf').message).toBe('unsupported Content-Encoding "br"; send gzip or no encoding');
    expect(h.requests).toEqual(['metrics 415', 'logs 415', 'metrics 415']);
  });

  it('405 for other methods (with Allow: POST), 404 for other paths', async () => {
    const h = await start();
    const get = await send(h.port, 'GET', '/v1/metrics', undefined);
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect(decodeStatus(get.body, 'json').code).toBe(12);
    expect((await send(h.port, 'PUT', '/v1/logs', utf8('{}'), JSON_TYPE)).status).toBe(405);
    const traces = await send(h.port, 'POST', '/v1/traces', new Uint8Array(0), PROTOBUF);
    expect(traces.status).toBe(404);
    expect(decodeStatus(traces.body, 'protobuf').code).toBe(5);
    expect((await send(h.port, 'POST', '/v1/metrics/', new Uint8Array(0), PROTOBUF)).status).toBe(404);
    expect(h.requests).toEqual(['metrics 405', 'logs 405']);

    const metricsOnly = await start({ onLogs: undefined });
    expect((await send(metricsOnly.port, 'POST', '/v1/logs', utf8('{}'), JSON_TYPE)).status).toBe(404);
  });

  it('401 without the ingest token, 200 with it', async () => {
    const h = await start({ ingestToken: 's3cret' });
    const body = encodeMetricsProtobuf(sampleMetricsRequest());
    const none = await send(h.port, 'POST', '/v1/metrics', body, PROTOBUF);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(decodeStatus(none.body, 'protobuf').code).toBe(16);
    expect((await send(h.port, 'POST', '/v1/metrics', body, { ...PROTOBUF, authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await send(h.port, 'POST', '/v1/metrics', body, { ...PROTOBUF, authorization: 'Basic s3cret' })).status).toBe(401);
    expect((await send(h.port, 'POST', '/v1/metrics', body, { ...PROTOBUF, authorization: 'Bearer s3cret' })).status).toBe(200);
    expect(h.metrics).toHaveLength(1);
    expect(h.requests).toEqual(['metrics 401', 'metrics 401', 'metrics 401', 'metrics 200']);
  });

  it('503 with Retry-After when the ingest queue is full, then serves again', async () => {
    const h = await start({ maxQueueDepth: 2, retryAfterSeconds: 7 });
    const body = encodeMetricsProtobuf(sampleMetricsRequest());
    // two uploads that send half their body and wait: both are admitted and hold the queue
    const stalled = [0, 1].map(() => {
      let finish: () => void = () => {};
      const reply = new Promise<Reply>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: h.port, method: 'POST', path: '/v1/metrics', headers: { ...PROTOBUF, 'content-length': String(body.length) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          },
        );
        req.on('error', reject);
        req.write(body.subarray(0, 10));
        finish = () => req.end(body.subarray(10));
      });
      return { reply, finish: () => finish() };
    });
    for (let i = 0; i < 100 && h.receiver.queueDepth < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(h.receiver.queueDepth).toBe(2);

    const rejected = await send(h.port, 'POST', '/v1/metrics', body, PROTOBUF);
    expect(rejected.status).toBe(503);
    expect(rejected.headers['retry-after']).toBe('7');
    expect(decodeStatus(rejected.body, 'protobuf')).toEqual({ code: 14, message: 'the ingest queue is full (2 requests); retry later' });
    const rejectedJson = await send(h.port, 'POST', '/v1/logs', utf8('{}'), JSON_TYPE);
    expect(rejectedJson.status).toBe(503);
    expect(rejectedJson.headers['retry-after']).toBe('7');

    for (const s of stalled) s.finish();
    expect((await Promise.all(stalled.map((s) => s.reply))).map((r) => r.status)).toEqual([200, 200]);
    expect((await send(h.port, 'POST', '/v1/metrics', body, PROTOBUF)).status).toBe(200);
    expect(h.metrics).toHaveLength(3);
    expect(h.requests.filter((r) => r.endsWith('503'))).toEqual(['metrics 503', 'logs 503']);
    expect(h.receiver.queueDepth).toBe(0);
    expect(Math.max(...h.depths)).toBe(2);
  });

  it('releases the queue slot when a client aborts its upload', async () => {
    const h = await start({ maxQueueDepth: 1 });
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port: h.port, method: 'POST', path: '/v1/metrics', headers: { ...PROTOBUF, 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(10));
      const wait = setInterval(() => {
        if (h.receiver.queueDepth === 1) {
          clearInterval(wait);
          req.destroy();
        }
      }, 5);
    });
    for (let i = 0; i < 100 && h.receiver.queueDepth > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(h.receiver.queueDepth).toBe(0);
    expect((await send(h.port, 'POST', '/v1/metrics', new Uint8Array(0), PROTOBUF)).status).toBe(200);
  });

  it('500 (not retryable) when a handler throws; the error goes to onError', async () => {
    const boom = new Error('handler bug');
    const h = await start({
      onMetrics: () => {
        throw boom;
      },
    });
    const r = await send(h.port, 'POST', '/v1/metrics', new Uint8Array(0), PROTOBUF);
    expect(r.status).toBe(500);
    expect(decodeStatus(r.body, 'protobuf')).toEqual({ code: 13, message: 'internal error' });
    expect(h.errors).toEqual([boom]);
    expect(h.requests).toEqual(['metrics 500']);
  });

  it('close() answers 503 to new requests and resolves when the queue is empty', async () => {
    const h = await start();
    const inFlight = send(h.port, 'POST', '/v1/metrics', encodeMetricsProtobuf(sampleMetricsRequest()), PROTOBUF);
    for (let i = 0; i < 100 && h.receiver.queueDepth === 0 && h.metrics.length === 0; i++) await new Promise((r) => setTimeout(r, 2));
    const closed = h.receiver.close();
    expect((await inFlight).status).toBe(200);
    await closed;
    const after = await send(h.port, 'POST', '/v1/metrics', new Uint8Array(0), PROTOBUF);
    expect(after.status).toBe(503);
    expect(decodeStatus(after.body, 'protobuf').message).toBe('the receiver is shutting down');
  });

  it('rejects invalid configuration naming the field', () => {
    expect(() => createOtlpReceiver({ maxBodyBytes: 0 })).toThrow('createOtlpReceiver: maxBodyBytes must be a positive integer, got 0');
    expect(() => createOtlpReceiver({ maxQueueDepth: 1.5 })).toThrow('maxQueueDepth');
    expect(() => createOtlpReceiver({ ingestToken: ' ' })).toThrow('createOtlpReceiver: ingestToken must not be empty');
  });

  it('answers 1000 mutated payloads with 200 or 400 and keeps serving', async () => {
    const h = await start();
    const base = encodeMetricsProtobuf(sampleMetricsRequest());
    let seed = 42;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const mutate = (): Uint8Array => {
      const b = Uint8Array.from(base);
      const edits = 1 + random(4);
      for (let i = 0; i < edits; i++) b[random(b.length)] = random(256);
      return random(4) === 0 ? b.subarray(0, random(b.length)) : b;
    };
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 125; batch++) {
      const replies = await Promise.all(
        Array.from({ length: 8 }, (_, i) => {
          const json = (batch + i) % 5 === 0;
          const body = json ? utf8(encodeMetricsJson(sampleMetricsRequest()).replace(/"/g, () => (random(40) === 0 ? "'" : '"'))) : mutate();
          return send(h.port, 'POST', '/v1/metrics', body, json ? JSON_TYPE : PROTOBUF);
        }),
      );
      for (const r of replies) {
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status === 400) expect(decodeStatus(r.body, r.headers['content-type'] === 'application/json' ? 'json' : 'protobuf').code).toBe(3);
      }
    }
    expect([...statuses.keys()].sort()).toEqual([200, 400]);
    expect(statuses.get(400)).toBeGreaterThan(100);
    expect(h.errors).toEqual([]);
    expect((await send(h.port, 'POST', '/v1/metrics', base, PROTOBUF)).status).toBe(200);
    expect(h.metrics.at(-1)).toEqual(sampleMetricsRequest());
    expect(h.receiver.queueDepth).toBe(0);
  });
});
