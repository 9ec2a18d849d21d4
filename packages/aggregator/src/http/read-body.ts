import type { IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';
import { badRequest, payloadTooLarge, unsupportedMediaType } from './http-error.js';
import type { HttpError } from './http-error.js';

/** Default request body limit: 64 MiB, after decompression. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface ReadBodyOptions {
  /** Limit on the body after decompression, and on the bytes received; 413 beyond it. */
  readonly maxBodyBytes: number;
}

/** The `Content-Encoding` of a request: `gzip`, or `identity` when absent. Anything else is a 415. */
export function contentEncodingOf(req: IncomingMessage): 'gzip' | 'identity' {
  const header = req.headers['content-encoding'];
  if (header === undefined) return 'identity';
  const codings = header
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return 'identity';
  if (codings.length === 1 && (codings[0] === 'gzip' || codings[0] === 'x-gzip')) return 'gzip';
  throw unsupportedMediaType(`unsupported Content-Encoding "${header}"; send gzip or no encoding`);
}

/**
 * Reads a request body into one Buffer, gunzipping it when `Content-Encoding: gzip`. The limit applies to the
 * decompressed bytes (a small gzip bomb is cut off as soon as its output passes the limit) and to the bytes
 * received; memory stays bounded by the limit plus one chunk. A declared `Content-Length` over the limit fails
 * before anything is read.
 * @throws HttpError 413 over the limit, 415 for another Content-Encoding, 400 for corrupt gzip or an aborted upload.
 */
export function readBody(req: IncomingMessage, options: ReadBodyOptions): Promise<Buffer> {
  const { maxBodyBytes } = options;
  let encoding: 'gzip' | 'identity';
  try {
    encoding = contentEncodingOf(req);
  } catch (err) {
    return Promise.reject(err as HttpError);
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBodyBytes) {
    return Promise.reject(payloadTooLarge(maxBodyBytes, `the request body of ${declared} bytes`));
  }

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let received = 0;
    let settled = false;
    const gunzip = encoding === 'gzip' ? createGunzip() : undefined;

    const settle = (err: HttpError | undefined): void => {
      if (settled) return;
      settled = true;
      req.off('data', onRequestData);
      req.off('end', onRequestEnd);
      req.off('close', onRequestClose);
      if (gunzip !== undefined) {
        gunzip.off('data', onBodyData);
        gunzip.off('end', onBodyEnd);
        gunzip.destroy();
      }
      if (err !== undefined) {
        // stop reading: the caller answers with `Connection: close`, which discards the rest of the upload
        if (!req.complete) req.pause();
        chunks.length = 0;
        reject(err);
      } else resolve(Buffer.concat(chunks, size));
    };

    const onBodyData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        settle(payloadTooLarge(maxBodyBytes, gunzip === undefined ? 'the request body' : 'the decompressed request body'));
        return;
      }
      chunks.push(chunk);
    };
    const onBodyEnd = (): void => settle(undefined);

    const onRequestData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > maxBodyBytes) {
        settle(payloadTooLarge(maxBodyBytes));
        return;
      }
      if (gunzip === undefined) {
        onBodyData(chunk);
      } else if (!gunzip.write(chunk)) {
        req.pause();
        gunzip.once('drain', () => {
          if (!settled) req.resume();
        });
      }
    };
    const onRequestEnd = (): void => {
      if (gunzip === undefined) settle(undefined);
      else gunzip.end();
    };
    const onRequestClose = (): void => {
      if (!req.complete) settle(badRequest('the request body was not received completely (client aborted)'));
    };

    req.on('data', onRequestData);
    req.on('end', onRequestEnd);
    req.on('close', onRequestClose);
    req.on('error', () => {
      /* reported through 'close' */
    });
    if (gunzip !== undefined) {
      gunzip.on('data', onBodyData);
      gunzip.on('end', onBodyEnd);
      gunzip.on('error', (err: Error) => settle(badRequest(`the gzip request body is corrupt: ${err.message}`)));
    }
  });
}
