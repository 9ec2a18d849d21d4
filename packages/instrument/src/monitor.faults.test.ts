import { decodeMetricsJson, decodeMetricsProtobuf } from '@driftwatch/otlp';
import type { NumberDataPoint } from '@driftwatch/otlp';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { monitor } from './monitor.js';
import type { MonitorLogger } from './options.js';
import { startTestReceiver, unusedEndpoint } from './otlp-test-receiver.test-support.js';
import type { ReceivedRequest, ReceiverMode, TestReceiver } from './otlp-test-receiver.test-support.js';

// Short OTel timeouts keep the suite fast; shutdown() must still resolve whatever the collector does.
const TIMING = { exportIntervalMillis: 60_000, exportTimeoutMillis: 300 } as const;

let receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});
async function receiver(mode: ReceiverMode): Promise<TestReceiver> {
  const r = await startTestReceiver(mode);
  receivers.push(r);
  return r;
}

function recordingLogger(): MonitorLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => {}, warn: (m) => warnings.push(m) };
}

function callsIn(r: ReceivedRequest): number {
  const req = r.contentType.includes('json') ? decodeMetricsJson(new TextDecoder().decode(r.body)) : decodeMetricsProtobuf(r.body);
  const m = req.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((s) => s.metrics)).find((x) => x.name === 'ml.model.calls');
  if (m?.data.type !== 'sum') throw new Error('no ml.model.calls sum');
  return (m.data.points[0] as NumberDataPoint).value;
}

/** Calls the monitored sync function and checks it behaves exactly like the model. */
function exercise(predict: (row: { x: number }) => number, n: number): void {
  for (let i = 0; i < n; i++) {
    const y = predict({ x: i });
    expect(y).toBe(i * 2);
  }
}

const model = (row: { x: number }): number => row.x * 2;

describe.each(['http/protobuf', 'http/json'] as const)('collector faults (%s)', (protocol) => {
  it('collector down (connection refused): calls unaffected, shutdown bounded, failure counted and logged', async () => {
    const logger = recordingLogger();
    const predict = monitor(model, { model: 'm', version: '1', features: { x: 'numeric' }, endpoint: await unusedEndpoint(), protocol, logger, ...TIMING });
    exercise(predict, 100);
    await predict.shutdown();
    const health = predict.health();
    expect(health.calls).toBe(100);
    expect(health.export?.failed).toBe(1);
    expect(health.export?.succeeded).toBe(0);
    expect(health.export?.lastError).toBeTruthy();
    expect(logger.warnings.some((w) => w.includes('export') && w.includes('failed'))).toBe(true);
  });

  it('collector hangs (never answers): shutdown resolves after the export timeout, failure counted', async () => {
    const r = await receiver({ kind: 'hang' });
    const logger = recordingLogger();
    const predict = monitor(model, { model: 'm', version: '1', features: { x: 'numeric' }, endpoint: r.url, protocol, logger, ...TIMING });
    exercise(predict, 10);
    await predict.shutdown();
    expect(r.requests.length).toBeGreaterThanOrEqual(1);
    expect(predict.health().export?.failed).toBe(1);
  });

  it('collector answers 500: no retry (non-retryable per OTLP), failure counted', async () => {
    const r = await receiver({ kind: 'status', status: 500 });
    const predict = monitor(model, { model: 'm', version: '1', features: { x: 'numeric' }, endpoint: r.url, protocol, logger: recordingLogger(), ...TIMING });
    exercise(predict, 10);
    await predict.shutdown();
    expect(r.requests).toHaveLength(1);
    expect(predict.health().export).toMatchObject({ failed: 1, succeeded: 0 });
  });

  it('collector answers 429: OTel retries within the timeout, then gives up; failure counted', async () => {
    const r = await receiver({ kind: 'status', status: 429, retryAfterSeconds: 0 });
    const predict = monitor(model, { model: 'm', version: '1', features: { x: 'numeric' }, endpoint: r.url, protocol, logger: recordingLogger(), ...TIMING });
    exercise(predict, 10);
    await predict.shutdown();
    expect(r.requests.length).toBeGreaterThan(1); // retried
    expect(predict.health().export).toMatchObject({ failed: 1, succeeded: 0 });
  });

  it('while the collector fails, exports do not pile up; when it recovers the next export carries every call (cumulative)', async () => {
    const r = await receiver({ kind: 'status', status: 503 });
    const logger = recordingLogger();
    const predict = monitor(model, {
      model: 'm',
      version: '1',
      features: { x: 'numeric' },
      endpoint: r.url,
      protocol,
      logger,
      exportIntervalMillis: 40,
      exportTimeoutMillis: 30,
    });
    exercise(predict, 50);
    await r.waitForRequests(3);
    const during = predict.health().export;
    expect(during?.failed).toBeGreaterThanOrEqual(1);
    expect(during?.succeeded).toBe(0);
    // one reader, no overlapping exports: outcomes never outnumber collections
    expect((during?.failed ?? 0) + (during?.succeeded ?? 0)).toBeLessThanOrEqual(during?.collections ?? 0);
    exercise(predict, 25);
    r.mode = { kind: 'ok' };
    await predict.shutdown();
    const last = r.requests[r.requests.length - 1] as ReceivedRequest;
    expect(callsIn(last)).toBe(75);
    expect(predict.health().export?.succeeded).toBeGreaterThanOrEqual(1);
    expect(logger.warnings.some((w) => w.includes('recovered'))).toBe(true);
  });
});

describe('without a logger option', () => {
  it('reports a failed export through the OTel diag logger, named once (the component logger adds the namespace)', async () => {
    const warnings: string[] = [];
    const ignore = (): void => {};
    diag.setLogger({ error: ignore, warn: (...args: unknown[]) => warnings.push(args.map(String).join(' ')), info: ignore, debug: ignore, verbose: ignore }, DiagLogLevel.WARN);
    try {
      const predict = monitor(model, { model: 'm', version: '1', features: { x: 'numeric' }, endpoint: await unusedEndpoint(), ...TIMING });
      exercise(predict, 10);
      await predict.shutdown();
      const failures = warnings.filter((w) => w.includes('metrics export to'));
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(/^@driftwatch\/instrument metrics export to http:\/\/127\.0\.0\.1:\d+\/v1\/metrics failed/);
    } finally {
      diag.disable();
    }
  });
});
