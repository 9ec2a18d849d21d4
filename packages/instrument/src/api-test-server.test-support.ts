// Test support (not part of the public API): a stand-in for the aggregator's API on 127.0.0.1 serving the
// rollout and alias endpoints the SDK polls (docs/rollout.md), with injectable faults.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How a path is answered: JSON with a status (200 by default), a raw text body, or never. */
export type ApiAnswer = { kind: 'json'; body: unknown; status?: number; etag?: string } | { kind: 'text'; body: string; status: number } | { kind: 'hang' };

export interface ApiRequest {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
}

export interface TestApiServer {
  readonly url: string;
  readonly requests: ApiRequest[];
  /** answers by exact path; an unknown path is 404 */
  readonly answers: Map<string, ApiAnswer>;
  /** resolves once `count` requests for `path` have been answered (or are hanging) */
  waitForRequests(path: string, count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTestApiServer(): Promise<TestApiServer> {
  const requests: ApiRequest[] = [];
  const answers = new Map<string, ApiAnswer>();
  const sockets = new Set<Socket>();
  const waiters: Array<{ path: string; count: number; resolve: () => void }> = [];
  const countFor = (path: string): number => requests.filter((r) => r.path === path).length;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '';
    const answer = answers.get(path);
    const reply = (): void => {
      if (answer === undefined) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found', message: `no ${path}` } }));
      } else if (answer.kind === 'json') {
        if (answer.etag !== undefined && req.headers['if-none-match'] === answer.etag) {
          res.writeHead(304, { etag: answer.etag }).end();
          return;
        }
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...(answer.etag === undefined ? {} : { etag: answer.etag }) }).end(JSON.stringify(answer.body));
      } else if (answer.kind === 'text') {
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
      }
      // hang: never answer
    };
    reply();
    requests.push({ path, headers: req.headers });
    for (const w of [...waiters]) {
      if (countFor(w.path) >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('test API server has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    answers,
    waitForRequests(path, count) {
      if (countFor(path) >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ path, count, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Resolves when `condition()` holds, checking every few milliseconds; rejects after `timeoutMillis`. */
export async function eventually(condition: () => boolean, timeoutMillis = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets queued immediates (shadow calls) and their promise callbacks run. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}
