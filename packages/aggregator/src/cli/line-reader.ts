import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const CHUNK_BYTES = 1 << 16;

export interface LineProgress {
  readonly bytesRead: number;
  readonly totalBytes: number;
}

/**
 * Reads a file line by line with bounded memory (64 KiB chunks, synchronous so the lines can feed a synchronous
 * consumer such as `buildReferenceProfile`). Handles `\n` and `\r\n` and UTF-8 sequences split across chunks.
 * `onProgress` is called after each chunk. The file is closed when iteration ends, even early.
 */
export function* readLines(path: string, onProgress?: (p: LineProgress) => void): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const totalBytes = fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let bytesRead = 0;
    let first = true;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      bytesRead += n;
      let text = pending + decoder.write(buf.subarray(0, n));
      if (first) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte order mark
        first = false;
      }
      let start = 0;
      for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
        yield text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl);
        start = nl + 1;
      }
      pending = text.slice(start);
      onProgress?.({ bytesRead, totalBytes });
    }
    pending += decoder.end();
    if (pending.length > 0) yield pending.endsWith('\r') ? pending.slice(0, -1) : pending;
  } finally {
    closeSync(fd);
  }
}
