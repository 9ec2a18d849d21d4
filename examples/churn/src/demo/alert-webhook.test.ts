import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { alertmanagerPayload, postAlert } from './alert-webhook.js';
import type { FiredAlert } from './threshold-alerts.js';

const alert: FiredAlert = {
  key: 'DriftwatchImportantFeatureDrift{feature="monthly_charges"}',
  name: 'DriftwatchImportantFeatureDrift',
  severity: 'high',
  labels: { model: 'churn', version: '1', window: '1h', feature: 'monthly_charges', method: 'wasserstein' },
  summary: 'churn v1: feature monthly_charges drifted',
  value: 0.2,
  threshold: 0.1,
  activeSinceMs: Date.UTC(2026, 0, 1),
  firedAtMs: Date.UTC(2026, 0, 1, 0, 0, 1),
};

async function receiver(status: number): Promise<{ url: string; bodies: unknown[]; close(): Promise<void> }> {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      bodies.push({ contentType: req.headers['content-type'], body: JSON.parse(text) as unknown });
      res.writeHead(status).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('alert webhook', () => {
  it('builds an Alertmanager (version 4) webhook body', () => {
    const body = alertmanagerPayload(alert, 'http://127.0.0.1:9464/#model=churn') as { version: string; status: string; alerts: Array<Record<string, unknown>>; commonLabels: Record<string, string> };
    expect(body.version).toBe('4');
    expect(body.status).toBe('firing');
    expect(body.commonLabels).toEqual({ alertname: 'DriftwatchImportantFeatureDrift', severity: 'high', model: 'churn', version: '1', window: '1h', feature: 'monthly_charges', method: 'wasserstein' });
    expect(body.alerts[0]).toMatchObject({
      status: 'firing',
      startsAt: '2026-01-01T00:00:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://127.0.0.1:9464/#model=churn',
      annotations: { summary: alert.summary, runbook_url: 'https://github.com/driftwatch/driftwatch/blob/main/docs/runbooks/DriftwatchImportantFeatureDrift.md' },
    });
    expect(body.alerts[0]?.['fingerprint']).toMatch(/^[0-9a-f]{16}$/);
  });

  it('posts JSON and reports the status; failures are returned, never thrown', async () => {
    const ok = await receiver(202);
    try {
      expect(await postAlert(ok.url, alert, 'http://r')).toEqual({ ok: true, status: 202 });
      expect(ok.bodies).toEqual([{ contentType: 'application/json', body: alertmanagerPayload(alert, 'http://r') }]);
    } finally {
      await ok.close();
    }
    const bad = await receiver(500);
    try {
      expect(await postAlert(bad.url, alert, 'http://r')).toEqual({ ok: false, status: 500, error: 'HTTP 500' });
    } finally {
      await bad.close();
    }
    const gone = await receiver(200);
    await gone.close();
    const refused = await postAlert(gone.url, alert, 'http://r');
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/ECONNREFUSED/);
  });
});
