/**
 * The demo's own HTTP endpoint on loopback, started before the aggregator so that a scenario's aggregator config can
 * point at it (a retraining webhook target, say). Scenarios mount handlers on paths once they run; a request to a
 * path nothing is mounted on answers 404, a body over {@link MAX_HOOK_BODY_BYTES} 413, a handler that throws 500.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const MAX_HOOK_BODY_BYTES = 1024 * 1024;

export interface HookRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** the raw body, exactly as received (a signature is computed over these bytes) */
  readonly body: string;
}

export interface HookResponse {
  readonly status: number;
  /** sent as JSON */
  readonly body?: unknown;
}

export type HookHandler = (request: HookRequest) => HookResponse | Promise<HookResponse>;

export interface DemoHooks {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Serves `path` (exact match, e.g. `/retrain`) with `handler`, replacing a handler mounted there before. */
  mount(path: string, handler: HookHandler): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, response: HookResponse): void {
  const text = response.body === undefined ? '' : JSON.stringify(response.body);
  res.writeHead(response.status, text === '' ? {} : { 'content-type': 'application/json' }).end(text);
}

/** Starts the hooks server on `host`, port 0 (a free one). */
export async function startDemoHooks(host: string): Promise<DemoHooks> {
  const handlers = new Map<string, HookHandler>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://hooks').pathname;
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_HOOK_BODY_BYTES) {
        if (!refused) send(res, { status: 413, body: { error: `body over ${MAX_HOOK_BODY_BYTES} bytes` } });
        refused = true;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const handler = handlers.get(path);
      if (!handler) {
        send(res, { status: 404, body: { error: `nothing is mounted on ${path}` } });
        return;
      }
      const request: HookRequest = { method: req.method ?? 'GET', path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      Promise.resolve()
        .then(() => handler(request))
        .then(
          (response) => send(res, response),
          (error: unknown) => send(res, { status: 500, body: { error: error instanceof Error ? error.message : String(error) } }),
        );
    });
  });
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    mount: (path, handler) => {
      handlers.set(path, handler);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
