// Test support (not part of the public API; excluded from the published files by the `*.test.*` pattern):
// a minimal OTLP/HTTP receiver on 127.0.0.1 that records what the official exporters send.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** How the receiver answers: 200, an HTTP error status (e.g. 500, or 429 with Retry-After), or never. */
export type ReceiverMode = { kind: 'ok' } | { kind: 'status'; status: number; retryAfterSeconds?: number } | { kind: 'hang' };

export interface ReceivedRequest {
  readonly path: string;
  readonly contentType: string;
  readonly body: Uint8Array;
}

export interface TestReceiver {
  /** base URL, e.g. http://127.0.0.1:41234 (the exporter appends /v1/metrics) */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  mode: ReceiverMode;
  /** resolves at the next request (or immediately if `count` requests already arrived) */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTestReceiver(mode: ReceiverMode = { kind: 'ok' }): Promise<TestReceiver> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const receiver: TestReceiver = {
    url: '',
    requests,
    mode,
    waitForRequests(count) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Buffer = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      requests.push({ path: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), body: new Uint8Array(body) });
      for (const w of [...waiters]) {
        if (requests.length >= w.count) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
      const m = receiver.mode;
      if (m.kind === 'hang') return;
      if (m.kind === 'status') {
        const headers: Record<string, string> = { 'content-type': 'text/plain' };
        if (m.retryAfterSeconds !== undefined) headers['retry-after'] = String(m.retryAfterSeconds);
        res.writeHead(m.status, headers).end('failure injected by the test');
        return;
      }
      const json = String(req.headers['content-type']).includes('json');
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : Buffer.alloc(0));
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('test receiver has no TCP address');
  (receiver as { url: string }).url = `http://127.0.0.1:${address.port}`;
  return receiver;
}

/** A base URL on which nothing listens (a port that was just bound and released). */
export async function unusedEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}`;
}
