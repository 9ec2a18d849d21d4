import { describe, expect, it } from 'vitest';
import { alertsForModel, parseAlertmanagerWebhook } from './alertmanager-webhook.js';
import { ValidationError } from './validation-error.js';

/** A notification shaped like Alertmanager 0.27's webhook body (version 4). */
function payload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    receiver: 'driftwatch-retrain',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'DriftwatchDatasetDrift', model: 'churn', severity: 'warning' },
        annotations: { summary: 'dataset drift on churn' },
        startsAt: '2024-05-06T09:52:26.739266876+02:00',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph?g0.expr=driftwatch_model_dataset_drift',
        fingerprint: '1a30ba71cca2921f',
      },
      {
        status: 'resolved',
        labels: { alertname: 'DriftwatchDatasetDrift', model: 'fraud' },
        annotations: {},
        startsAt: '2024-05-06T07:00:00Z',
        endsAt: '2024-05-06T08:00:00Z',
        generatorURL: '',
        fingerprint: 'bb',
      },
      {
        status: 'firing',
        labels: { alertname: 'DriftwatchModelSilent' },
        annotations: {},
        startsAt: '2024-05-06T07:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: '',
        fingerprint: 'cc',
      },
    ],
    groupLabels: { alertname: 'DriftwatchDatasetDrift' },
    commonLabels: { alertname: 'DriftwatchDatasetDrift' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: '{}:{alertname="DriftwatchDatasetDrift"}',
    truncatedAlerts: 0,
    ...overrides,
  };
}

describe('parseAlertmanagerWebhook', () => {
  it('parses a version 4 payload from text, with timestamps', () => {
    const hook = parseAlertmanagerWebhook(JSON.stringify(payload()));
    expect(hook.receiver).toBe('driftwatch-retrain');
    expect(hook.groupKey).toBe('{}:{alertname="DriftwatchDatasetDrift"}');
    expect(hook.alerts).toHaveLength(3);
    const first = hook.alerts[0];
    expect(first?.startsAtMs).toBe(Date.parse('2024-05-06T07:52:26.739Z'));
    expect(first?.endsAtMs).toBeNull();
    expect(hook.alerts[1]?.endsAtMs).toBe(Date.parse('2024-05-06T08:00:00Z'));
    expect(first?.labels['model']).toBe('churn');
  });

  it('accepts an already decoded body, and a missing truncatedAlerts (older Alertmanager)', () => {
    const body = payload();
    delete body['truncatedAlerts'];
    expect(parseAlertmanagerWebhook(body).truncatedAlerts).toBe(0);
  });

  it.each([
    ['not json', '{', 'request body is not valid JSON'],
    ['version', payload({ version: '3' }), 'version: unsupported Alertmanager webhook version "3"'],
    ['status', payload({ status: 'pending' }), 'status: expected "firing" or "resolved"'],
    ['alerts', payload({ alerts: {} }), 'alerts: expected a list'],
    ['truncated', payload({ truncatedAlerts: -1 }), 'truncatedAlerts: expected a non-negative integer'],
    ['groupKey', payload({ groupKey: 5 }), 'groupKey: expected a string'],
    ['label type', payload({ commonLabels: { a: 1 } }), 'commonLabels.a: expected a string'],
    ['alert fingerprint', payload({ alerts: [{ ...(payload()['alerts'] as object[])[0], fingerprint: undefined }] }), 'alerts[0].fingerprint: expected a string'],
    ['alert startsAt', payload({ alerts: [{ ...(payload()['alerts'] as object[])[0], startsAt: 'yesterday' }] }), 'alerts[0].startsAt: "yesterday" is not an RFC 3339 timestamp'],
    ['alert status', payload({ alerts: [{ ...(payload()['alerts'] as object[])[0], status: 'on' }] }), 'alerts[0].status: expected "firing" or "resolved"'],
    ['alert labels', payload({ alerts: [{ ...(payload()['alerts'] as object[])[0], labels: ['x'] }] }), 'alerts[0].labels: expected an object of strings'],
  ])('rejects a bad %s naming the field', (_name, body, message) => {
    let caught: unknown;
    try {
      parseAlertmanagerWebhook(body);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as Error).message).toContain(message);
  });
});

describe('alertsForModel', () => {
  it('keeps firing alerts that carry the model label, grouped by model', () => {
    const byModel = alertsForModel(parseAlertmanagerWebhook(payload()));
    expect([...byModel.keys()]).toEqual(['churn']);
    expect(byModel.get('churn')).toEqual([
      { alertname: 'DriftwatchDatasetDrift', fingerprint: '1a30ba71cca2921f', startsAtMs: Date.parse('2024-05-06T07:52:26.739Z') },
    ]);
  });

  it('uses a configurable label', () => {
    const hook = parseAlertmanagerWebhook(payload());
    expect(alertsForModel(hook, 'severity').get('warning')).toHaveLength(1);
  });
});
