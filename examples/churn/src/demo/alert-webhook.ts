/**
 * Delivery of the demo's threshold alerts to a webhook, in Alertmanager's webhook format (version 4), so any receiver
 * of Alertmanager webhooks — including driftwatch's own `POST /api/v1/alerts` — understands it.
 * Reference: https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
 */
import { createHash } from 'node:crypto';
import type { FiredAlert } from './threshold-alerts.js';

const RUNBOOK_BASE = 'https://github.com/driftwatch/driftwatch/blob/main/docs/runbooks';
const TIMEOUT_MILLIS = 5_000;

export interface WebhookDelivery {
  readonly ok: boolean;
  /** HTTP status, or undefined on a network error / timeout */
  readonly status?: number;
  readonly error?: string;
}

/** The Alertmanager webhook body for one firing alert. */
export function alertmanagerPayload(alert: FiredAlert, reportUrl: string): unknown {
  const labels = { alertname: alert.name, severity: alert.severity, ...alert.labels };
  const annotations = {
    summary: alert.summary,
    description: `${alert.summary}. Value ${alert.value}, threshold ${alert.threshold}. Fired by the driftwatch demo's threshold rules (no Prometheus).`,
    runbook_url: `${RUNBOOK_BASE}/${alert.name}.md`,
    dashboard_url: reportUrl,
  };
  const fingerprint = createHash('sha256').update(alert.key).digest('hex').slice(0, 16);
  return {
    version: '4',
    groupKey: `{}:{alertname=${JSON.stringify(alert.name)}, model=${JSON.stringify(alert.labels['model'] ?? '')}}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'driftwatch-demo',
    groupLabels: { alertname: alert.name, model: alert.labels['model'] ?? '' },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: reportUrl,
    alerts: [
      {
        status: 'firing',
        labels,
        annotations,
        startsAt: new Date(alert.activeSinceMs).toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: reportUrl,
        fingerprint,
      },
    ],
  };
}

/** POSTs one alert; never throws (the outcome says what happened). */
export async function postAlert(url: string, alert: FiredAlert, reportUrl: string): Promise<WebhookDelivery> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alertmanagerPayload(alert, reportUrl)),
      signal: AbortSignal.timeout(TIMEOUT_MILLIS),
    });
    await response.arrayBuffer();
    return response.ok ? { ok: true, status: response.status } : { ok: false, status: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    const e = error as Error & { cause?: { message?: string } };
    return { ok: false, error: e.cause?.message ?? e.message };
  }
}
