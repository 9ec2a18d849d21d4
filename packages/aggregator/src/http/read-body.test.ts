import { createServer, request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error.js';
import { contentEncodingOf, readBody } from './read-body.js';

/** Sends `body` to a server that runs readBody on it; resolves with the bytes read or the HttpError thrown. */
async function roundTrip(body: Uint8Array, headers: Record<string, string>, maxBodyBytes: number): Promise<Buffer | HttpError> {
  let outcome: Promise<Buffer | HttpError> | undefined;
  const server = createServer((req, res) => {
    outcome = readBody(req, { maxBodyBytes }).then(
      (b) => b,
      (e: unknown) => e as HttpError,
    );
    void outcome.then((r) => {
      res.setHeader('connection', 'close');
      res.end(r instanceof HttpError ? String(r.status) : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, method: 'POST', headers }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(Buffer.from(body));
    });
    if (outcome === undefined) throw new Error('the server saw no request');
    return await outcome;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const withEncoding = (value: string | undefined): IncomingMessage => ({ headers: value === undefined ? {} : { 'content-encoding': value } }) as IncomingMessage;

describe('readBody', () => {
  it('recognises gzip and identity content codings', () => {
    expect(contentEncodingOf(withEncoding(undefined))).toBe('identity');
    expect(contentEncodingOf(withEncoding('identity'))).toBe('identity');
    expect(contentEncodingOf(withEncoding('GZIP'))).toBe('gzip');
    expect(contentEncodingOf(withEncoding('x-gzip'))).toBe('gzip');
    expect(contentEncodingOf(withEncoding('gzip, identity'))).toBe('gzip');
    for (const bad of ['deflate', 'br', 'gzip, gzip', 'zstd']) {
      expect(() => contentEncodingOf(withEncoding(bad))).toThrow(HttpError);
    }
  });

  it('reads plain and gzip bodies up to exactly the limit', async () => {
    const body = Buffer.from('x'.repeat(1000));
    expect(await roundTrip(body, {}, 1000)).toEqual(body);
    expect(await roundTrip(gzipSync(body), { 'content-encoding': 'gzip' }, 1000)).toEqual(body);
  });

  it('fails with 413 one byte over the limit, before or after decompression', async () => {
    const body = Buffer.from('x'.repeat(1001));
    expect(await roundTrip(body, {}, 1000)).toMatchObject({ status: 413, message: 'the request body of 1001 bytes is larger than the limit of 1000 bytes' });
    expect(await roundTrip(gzipSync(body), { 'content-encoding': 'gzip' }, 1000)).toMatchObject({
      status: 413,
      message: 'the decompressed request body is larger than the limit of 1000 bytes',
    });
  });

  it('fails with 400 on a corrupt or truncated gzip body', async () => {
    const gz = gzipSync(Buffer.from('hello world'));
    expect(await roundTrip(gz.subarray(0, gz.length - 6), { 'content-encoding': 'gzip' }, 1000)).toMatchObject({ status: 400 });
    expect(await roundTrip(Buffer.from('not gzip'), { 'content-encoding': 'gzip' }, 1000)).toMatchObject({ status: 400 });
  });
});
