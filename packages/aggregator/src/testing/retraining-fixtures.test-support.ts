import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildReference } from '@driftwatch/instrument';
import { ExponentialHistogram } from '@driftwatch/stats';
import type { Aggregator, AggregatorLogger } from '../aggregator.js';
import { DELTA, MODEL, RESOURCE, expHistogram, expPoint, numberPoint, request, sum } from './otlp-builders.test-support.js';

/** One request a local target server received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly json: unknown;
}

export type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

/** A loopback HTTP server standing in for GitHub / Airflow / Prefect / a webhook receiver: records every request, answers with `reply`. */
export interface TargetServer {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  reply: (r: ReceivedRequest) => Reply;
  close(): Promise<void>;
}

export async function startTargetServer(reply: (r: ReceivedRequest) => Reply = () => ({ status: 200, body: { ok: true } })): Promise<TargetServer> {
  const requests: ReceivedRequest[] = [];
  const hanging: ServerResponse[] = [];
  const target: { reply: (r: ReceivedRequest) => Reply } = { reply };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body === '' ? undefined : JSON.parse(body);
      } catch {
        json = undefined;
      }
      const r: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json };
      requests.push(r);
      const answer = target.reply(r);
      if (answer === 'hang') {
        hanging.push(res);
        return;
      }
      const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    get reply() {
      return target.reply;
    },
    set reply(fn) {
      target.reply = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const quietLogger = (): AggregatorLogger & { lines: string[] } => {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) };
};

/** Deterministic uniform numbers in [0, 1). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const FEATURES = ['tenure', 'balance'] as const;

/** Sets a reference for churn version 3: tenure and balance uniform on [0, 100). */
export function setChurnReference(aggregator: Aggregator): void {
  const random = seeded(7);
  const rows = Array.from({ length: 2000 }, () => ({ tenure: random() * 100, balance: random() * 100 }));
  aggregator.setReference(buildReference(rows, { tenure: 'numeric', balance: 'numeric' }, { model: 'churn', version: '3' }));
}

let seq = 0n;
/**
 * Sends `n` predictions of churn version 3 as a delta export: features uniform on [shift, shift + 100) — shift 0 is the
 * reference's distribution, shift 500 drifts every feature; `drifted` limits the shift to some features.
 */
export function sendTraffic(aggregator: Aggregator, n: number, shift: number, drifted: readonly string[] = FEATURES): void {
  const random = seeded(Number(seq) + 11);
  seq += 10n;
  const t = { start: seq, time: seq + 1n };
  const metrics = FEATURES.map((feature) => {
    const h = new ExponentialHistogram();
    for (let i = 0; i < n; i++) h.record((drifted.includes(feature) ? shift : 0) + random() * 100);
    return expHistogram('ml.model.feature.value', [expPoint({ ...MODEL, 'ml.feature.name': feature }, h, t)], DELTA);
  });
  aggregator.ingest(request(RESOURCE, [sum('ml.model.predictions', [numberPoint(MODEL, n, t)], DELTA), ...metrics]));
}

/** Sends joined feedback: `correct` of `n` labels right (accuracy = correct / n). */
export function sendFeedback(aggregator: Aggregator, n: number, correct: number): void {
  seq += 10n;
  const t = { start: seq, time: seq + 1n };
  const cell = (actual: string, predicted: string, count: number) =>
    numberPoint({ ...MODEL, 'ml.label.actual': actual, 'ml.label.predicted': predicted }, count, t);
  aggregator.ingest(
    request(RESOURCE, [
      sum('ml.model.feedback.labels', [numberPoint(MODEL, n, t)], DELTA),
      sum('ml.model.feedback.confusion', [cell('1', '1', correct), cell('1', '0', n - correct)], DELTA),
    ]),
  );
}

/** An OTLP/JSON logs export of sampled records and labels. */
export function recordsExport(
  items: ReadonlyArray<
    | { kind: 'record'; id: string; timeMs: number; features: Record<string, unknown>; output: unknown; version?: string; label?: unknown }
    | { kind: 'label'; id: string; timeMs: number; label: unknown }
  >,
  model = 'churn',
): unknown {
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  return {
    resourceLogs: [
      {
        resource: { attributes: [str('service.name', 'churn-api')] },
        scopeLogs: [
          {
            scope: { name: '@driftwatch/instrument' },
            logRecords: items.map((it) => ({
              timeUnixNano: String(BigInt(it.timeMs) * 1_000_000n),
              eventName: it.kind === 'record' ? 'ml.model.record' : 'ml.model.label',
              severityNumber: 9,
              attributes: [
                str('ml.model.name', model),
                str('ml.prediction.id', it.id),
                ...(it.kind === 'record' ? [str('ml.model.version', it.version ?? '3'), { key: 'ml.record.sample_rate', value: { doubleValue: 0.5 } }] : []),
              ],
              body: {
                stringValue: JSON.stringify(
                  it.kind === 'record' ? { features: it.features, output: it.output, ...(it.label === undefined ? {} : { label: it.label }) } : { label: it.label },
                ),
              },
            })),
          },
        ],
      },
    ],
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

export async function getJson<T = unknown>(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as T };
}
