/** A local HTTP server that records every POST it receives (stand-in for PagerDuty, Slack, ticket and heartbeat endpoints). */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  /** Date.now() when the request body was complete */
  readonly receivedAtMs: number;
}

export interface WebhookRecorder {
  /** http://127.0.0.1:<port> */
  readonly baseUrl: string;
  /** requests received so far, optionally only those to `path` */
  received(path?: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startWebhookRecorder(): Promise<WebhookRecorder> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the raw text
      }
      requests.push({ path: request.url ?? '/', headers: request.headers, body, receivedAtMs: Date.now() });
      // PagerDuty's Events API answers 202 with a JSON status; Slack and webhooks accept any 2xx
      response.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"success","message":"Event processed"}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received: (path) => requests.filter((r) => path === undefined || r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
