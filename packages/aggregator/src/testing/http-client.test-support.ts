import { request, type IncomingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import { encodeMetricsJson, encodeMetricsProtobuf, type ExportMetricsServiceRequest, type WireFormat } from '@driftwatch/otlp';

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export const CONTENT_TYPE: Readonly<Record<WireFormat, string>> = { protobuf: 'application/x-protobuf', json: 'application/json' };

/** One HTTP request on a fresh connection; resolves with the status, headers and whole body. */
export function send(url: string, method: string, body: Uint8Array | string | undefined, headers: Readonly<Record<string, string>> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { connection: 'close', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });
}

/** Encodes a request in `format` (optionally gzipped). */
export function encodeExport(req: ExportMetricsServiceRequest, format: WireFormat, gzip = false): { body: Uint8Array; headers: Record<string, string> } {
  const raw = format === 'protobuf' ? encodeMetricsProtobuf(req) : Buffer.from(encodeMetricsJson(req));
  return { body: gzip ? gzipSync(raw) : raw, headers: { 'content-type': CONTENT_TYPE[format], ...(gzip ? { 'content-encoding': 'gzip' } : {}) } };
}

/** POSTs an OTLP metrics export to `${otlpUrl}/v1/metrics`. */
export function postExport(otlpUrl: string, req: ExportMetricsServiceRequest, format: WireFormat = 'protobuf', gzip = false, headers: Readonly<Record<string, string>> = {}): Promise<Reply> {
  const e = encodeExport(req, format, gzip);
  return send(`${otlpUrl}/v1/metrics`, 'POST', e.body, { ...e.headers, ...headers });
}
