/**
 * The alerting pipeline end to end, with nothing mocked between the model and the pager:
 *
 *   monitor() (SDK, OTLP/HTTP every 500 ms) → aggregator (in process, evaluates every 500 ms)
 *     → real Prometheus (scrapes and evaluates every 1 s, the rules of prometheus/rules)
 *     → real Alertmanager (alertmanager/alertmanager.yml) → local webhooks standing in for
 *       PagerDuty (Events API v2), Slack and the ticket system (and the Watchdog's heartbeat).
 *
 * Four models serve seeded traffic (test/support/scenario-rows.ts) from the reference distribution; once
 * every verdict is in and quiet, one incident per model is induced at the same moment:
 *
 *   fraud    data outage: its traffic stops                                  → critical → PagerDuty only
 *   churn    strong drift: 4 of 5 features and the score shift               → high     → Slack only
 *   pricing  minor drift: one unimportant feature shifts, predictions do not → low      → ticket only
 *   ranking  strong drift and 20% of calls failing                           → critical → PagerDuty only:
 *            its high and low alerts fire in Prometheus but Alertmanager inhibits them (and churn's
 *            single-feature tickets are inhibited by its dataset drift).
 *
 * Time compression (the only differences from production, rendered by prometheus/render-test-rules.ts;
 * the production rule files are unchanged and covered by promtool's unit tests in prometheus/tests):
 *   - every `for:` and `keep_firing_for:` is divided by 60 (5m → 5s, 30m → 30s, 1h → 60s);
 *   - DriftwatchModelDataOutage's silence floor of 600 s becomes 10 s (600 / 60). Its other term, 10× the
 *     model's mean gap between predictions (from its 10-minute rate averaged over the last day), is left as
 *     it is: the fraud model serves ~8000 predictions/s, so that term is below the floor before the outage
 *     is induced (checked);
 *   - Alertmanager's group_wait and group_interval are 1s on every route (repeat_interval 1h), and
 *     Prometheus re-sends firing alerts every 2s instead of every minute (--rules.alert.resend-delay);
 *   - the aggregator's drift window is 30s of 1s slices instead of 1h/24h.
 *
 * It prints, and keeps in the test output, how long each incident took from induction to the webhook.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { buildReference, monitor } from '@driftwatch/instrument';
import type { MonitorHealth } from '@driftwatch/instrument';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAggregator, type Aggregator } from '@driftwatch/aggregator';
import { renderTestAlertmanagerConfigFile, TEST_PAGERDUTY_ROUTING_KEY, TEST_WEBHOOK_TOKEN } from '../alertmanager/render-test-config.js';
import { renderTestPrometheusConfigFile } from '../prometheus/render-test-config.js';
import type { RuleSubstitution } from '../prometheus/render-test-rules.js';
import { writeTestRuleFiles } from '../prometheus/render-test-rules.js';
import { DASHBOARDS } from '../grafana/src/index.js';
import { dashboardLinkProblems, runbookLinkProblems } from './support/alert-links.js';
import { startAlertmanager } from './support/alertmanager-server.js';
import { dashboardQueries, labelValuesAsPromql, substituteVariables, variableQueries } from './support/dashboard-queries.js';
import type { Daemon } from './support/daemon.js';
import { binaryForTest } from './support/find-binary.js';
import type { Notification, PagerDutyEvent, Receiver, SlackMessage } from './support/notifications.js';
import { notificationsOf } from './support/notifications.js';
import { instantQuery } from './support/prometheus-api.js';
import { reloadPrometheus, startPrometheus } from './support/prometheus-server.js';
import type { DriftMode, ScenarioRow } from './support/scenario-rows.js';
import { SCENARIO_FEATURES, SCENARIO_SCHEMA, scenarioRowSource, scenarioScore, seededRandom } from './support/scenario-rows.js';
import { waitFor } from './support/wait-for.js';
import type { WebhookRecorder } from './support/webhook-recorder.js';
import { startWebhookRecorder } from './support/webhook-recorder.js';

const prometheusBinary = binaryForTest(['prometheus']);
const alertmanagerBinary = binaryForTest(['prometheus-alertmanager', 'alertmanager']);

const GRAFANA_DASHBOARDS_DIR = fileURLToPath(new URL('../grafana/dashboards', import.meta.url));
const FOR_DIVISOR = 60;
const SUBSTITUTIONS: readonly RuleSubstitution[] = [
  {
    alert: 'DriftwatchModelDataOutage',
    from: '), 600)',
    to: `), ${600 / FOR_DIVISOR})`,
    reason: 'the 10-minute minimum silence, compressed like the for: durations',
  },
];
const OUTAGE_FLOOR_SECONDS = 600 / FOR_DIVISOR;
const VERSION = '1';
const WINDOW = '30s';
const TICK_MS = 50;
const REFERENCE_ROWS = 5000;

type Incident = 'outage' | 'strong drift' | 'minor drift' | 'errors + strong drift';

interface Scenario {
  readonly model: string;
  readonly incident: Incident;
  /** predictions per second */
  readonly rate: number;
  /** the only receiver allowed to hear about this model */
  readonly receiver: Exclude<Receiver, 'heartbeat'>;
  /** alerts that must reach that receiver */
  readonly notified: readonly string[];
  /** alerts that must fire in Prometheus but be inhibited in Alertmanager (never notified) */
  readonly inhibited: readonly string[];
}

const SCENARIOS: readonly Scenario[] = [
  { model: 'fraud', incident: 'outage', rate: 8000, receiver: 'pagerduty', notified: ['DriftwatchModelDataOutage'], inhibited: [] },
  {
    model: 'churn',
    incident: 'strong drift',
    rate: 100,
    receiver: 'slack',
    notified: ['DriftwatchDatasetDrift', 'DriftwatchImportantFeatureDrift', 'DriftwatchPredictionDrift'],
    // single-feature tickets of the drifted, unimportant features: covered by the dataset drift
    inhibited: ['DriftwatchFeatureDrift'],
  },
  { model: 'pricing', incident: 'minor drift', rate: 100, receiver: 'ticket', notified: ['DriftwatchFeatureDrift'], inhibited: [] },
  {
    model: 'ranking',
    incident: 'errors + strong drift',
    rate: 100,
    receiver: 'pagerduty',
    notified: ['DriftwatchPredictionErrorRateHigh'],
    inhibited: ['DriftwatchDatasetDrift', 'DriftwatchImportantFeatureDrift', 'DriftwatchPredictionDrift', 'DriftwatchFeatureDrift'],
  },
];

/** How each model's traffic behaves; the tick reads it, the test changes it to induce the incidents. */
interface TrafficState {
  mode: DriftMode;
  stopped: boolean;
  failShare: number;
}

/** True for a notification its scenario allows: its model's receiver, one of the alerts it expects, firing. */
function isExpected(n: Notification): boolean {
  const s = SCENARIOS.find((x) => x.model === n.model);
  return s !== undefined && n.receiver === s.receiver && s.notified.includes(n.alertname) && n.status === 'firing';
}

class FeatureStoreTimeout extends Error {
  override name = 'FeatureStoreTimeout';
}

interface AlertState {
  readonly labels: Record<string, string>;
  readonly state: string;
  readonly activeAt: string;
}

interface AlertmanagerAlert {
  readonly labels: Record<string, string>;
  readonly status: { readonly state: string; readonly inhibitedBy: readonly string[] };
}

describe.skipIf(prometheusBinary === undefined || alertmanagerBinary === undefined)(
  'alerting end to end: SDK → aggregator → Prometheus → Alertmanager → PagerDuty / Slack / ticket',
  () => {
    let workDir: string;
    let recorder: WebhookRecorder;
    let aggregator: Aggregator;
    let prometheus: Daemon | undefined;
    let alertmanager: Daemon | undefined;
    let timer: NodeJS.Timeout | undefined;
    const monitors: Array<{ shutdown(): Promise<void>; health(): MonitorHealth }> = [];
    const logs: string[] = [];
    const traffic = new Map<string, TrafficState>();
    let inducedAtMs = 0;
    /** everything received up to the end of the quiet period */
    let notifications: Notification[] = [];
    /** Prometheus's view of the alerts at the end */
    let firing: AlertState[] = [];
    let amAlerts: AlertmanagerAlert[] = [];
    const timings: Array<{ model: string; incident: Incident; alert: string; receiver: string; activeAfterS: number; arrivedAfterS: number }> = [];

    const promQuery = async (expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> => {
      const response = await instantQuery(prometheus?.baseUrl ?? '', expr);
      if (response.status !== 'success') throw new Error(`query ${expr}: ${response.error ?? response.status}`);
      return (response.data?.result ?? []) as Array<{ metric: Record<string, string>; value: [number, string] }>;
    };
    const prometheusAlerts = async (): Promise<AlertState[]> => {
      const body = (await (await fetch(new URL('/api/v1/alerts', prometheus?.baseUrl))).json()) as { data: { alerts: AlertState[] } };
      return body.data.alerts;
    };
    const alertmanagerAlerts = async (): Promise<AlertmanagerAlert[]> =>
      (await (await fetch(new URL('/api/v2/alerts', alertmanager?.baseUrl))).json()) as AlertmanagerAlert[];
    const context = async (): Promise<string> => {
      const alerts = await prometheusAlerts().catch(() => []);
      return [
        `Prometheus alerts: ${JSON.stringify(alerts.map((a) => `${a.labels['alertname']}{model=${a.labels['model']}${a.labels['feature'] ? `,feature=${a.labels['feature']}` : ''}} ${a.state}`))}`,
        `notifications: ${JSON.stringify(notificationsOf(recorder.received()).map((n) => `${n.receiver}: ${n.alertname} ${n.model} ${n.status}`))}`,
        `aggregator/SDK log: ${logs.slice(-20).join('\n')}`,
        `prometheus: ${prometheus?.output().slice(-2000) ?? ''}`,
        `alertmanager: ${alertmanager?.output().slice(-2000) ?? ''}`,
      ].join('\n');
    };

    beforeAll(async () => {
      workDir = await mkdtemp(join(tmpdir(), 'driftwatch-alerting-e2e-'));
      recorder = await startWebhookRecorder();

      // --- the aggregator, in process, with a short window and evaluation interval
      aggregator = createAggregator(
        {
          otlpPort: 0,
          httpPort: 0,
          dataDir: ':memory:',
          evaluationInterval: '500ms',
          windows: [{ name: WINDOW, duration: WINDOW, slice: '1s' }],
          models: {
            churn: { importantFeatures: ['x1'], sla: { max_latency_seconds: 0.25, latency_slo_ratio: 0.99 } },
            ranking: { importantFeatures: ['x1'], sla: { max_error_ratio: 0.05 } },
          },
        },
        { logger: { info: () => {}, warn: (m) => logs.push(`aggregator warning: ${m}`), error: (m) => logs.push(`aggregator error: ${m}`) } },
      );
      await aggregator.start();
      const api = `http://127.0.0.1:${aggregator.httpPort}`;

      // --- references (the training distribution, with the model's scores), uploaded as a user would
      for (const [i, { model }] of SCENARIOS.entries()) {
        const next = scenarioRowSource(1000 + i);
        const rows = Array.from({ length: REFERENCE_ROWS }, () => {
          const row = next('baseline');
          return { ...row, score: scenarioScore(row) };
        });
        const profile = buildReference(rows, SCENARIO_SCHEMA, { model, version: VERSION, outputs: { score: 'numeric' } });
        const put = await fetch(`${api}/api/v1/models/${model}/versions/${VERSION}/reference`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(profile),
        });
        expect(put.status, await put.clone().text()).toBe(200);
      }

      // --- Alertmanager with every receiver pointed at the recorder, then Prometheus with compressed rules
      alertmanager = await startAlertmanager({
        binary: alertmanagerBinary ?? 'alertmanager',
        workDir: join(workDir, 'alertmanager'),
        configYaml: renderTestAlertmanagerConfigFile({
          receiverUrls: {
            pagerduty: `${recorder.baseUrl}/pagerduty`,
            slack: `${recorder.baseUrl}/slack`,
            ticket: `${recorder.baseUrl}/ticket`,
            heartbeat: `${recorder.baseUrl}/heartbeat`,
          },
          timers: { groupWait: '1s', groupInterval: '1s', repeatInterval: '1h' },
        }),
      });
      // Prometheus starts without rules: its target discovery takes up to 5 s, and rules evaluated before the
      // first scrape would see absent(up) (DriftwatchAggregatorDown's 2m, compressed to 2s, is shorter than
      // that). The rules are loaded once the aggregator is scraped and Alertmanager discovered, as in a
      // running deployment.
      const ruleFiles = await writeTestRuleFiles(join(workDir, 'rules'), { divisor: FOR_DIVISOR, substitutions: SUBSTITUTIONS });
      const prometheusDir = join(workDir, 'prometheus');
      const prometheusConfig = (files: readonly string[]): string =>
        renderTestPrometheusConfigFile({
          aggregatorTarget: `127.0.0.1:${aggregator.httpPort}`,
          alertmanagerTarget: new URL(alertmanager?.baseUrl ?? '').host,
          ruleFiles: files,
          intervalSeconds: 1,
        });
      prometheus = await startPrometheus({
        binary: prometheusBinary ?? 'prometheus',
        workDir: prometheusDir,
        configYaml: prometheusConfig([]),
        // it re-sends firing alerts every minute by default; 2 s keeps Alertmanager's view current in seconds
        extraArgs: ['--rules.alert.resend-delay=2s', '--web.enable-lifecycle'],
      });
      await waitFor(
        'Prometheus to scrape the aggregator and discover Alertmanager',
        async () => {
          const up = await promQuery('up{job="driftwatch"} == 1');
          const discovered = (await (await fetch(new URL('/api/v1/alertmanagers', prometheus?.baseUrl))).json()) as { data: { activeAlertmanagers: unknown[] } };
          return up.length === 1 && discovered.data.activeAlertmanagers.length === 1;
        },
        { timeoutMs: 30_000, describe: context },
      );
      await reloadPrometheus(prometheus, prometheusDir, prometheusConfig(ruleFiles));

      // --- the instrumented models and their traffic
      const sdkLogger = { info: () => {}, warn: (m: string) => logs.push(`sdk: ${m}`) };
      const ticks: Array<() => void> = [];
      for (const [i, scenario] of SCENARIOS.entries()) {
        const state: TrafficState = { mode: 'baseline', stopped: false, failShare: 0 };
        traffic.set(scenario.model, state);
        const failures = seededRandom(2000 + i);
        const predict = monitor(
          (row: ScenarioRow): number => {
            if (state.failShare > 0 && failures() < state.failShare) throw new FeatureStoreTimeout('feature store timed out');
            return scenarioScore(row);
          },
          {
            model: scenario.model,
            version: VERSION,
            features: SCENARIO_SCHEMA,
            output: 'probability',
            endpoint: `http://127.0.0.1:${aggregator.otlpPort}`,
            exportIntervalMillis: 500,
            logger: sdkLogger,
          },
        );
        monitors.push(predict);
        const next = scenarioRowSource(3000 + i);
        const perTick = (scenario.rate * TICK_MS) / 1000;
        ticks.push(() => {
          if (state.stopped) return;
          for (let n = 0; n < perTick; n++) {
            try {
              predict(next(state.mode));
            } catch (error) {
              if (!(error instanceof FeatureStoreTimeout)) throw error;
            }
          }
        });
      }
      timer = setInterval(() => {
        for (const tick of ticks) tick();
      }, TICK_MS);

      // --- baseline: every verdict published and quiet, the outage rule's floor in force, no alert but the Watchdog
      await waitFor(
        'a quiet baseline (verdicts published, no drift, no alert except the Watchdog)',
        async () => {
          const verdicts = await promQuery(`count by (model) (driftwatch_feature_drift_detected{window="${WINDOW}"} == 0)`);
          const samples = await promQuery(`min by (model) (driftwatch_feature_samples{window="${WINDOW}"}) >= 200`);
          const outputs = await promQuery(`count by (model) (driftwatch_prediction_drift_detected{window="${WINDOW}"} == 0)`);
          for (const { model } of SCENARIOS) {
            if (Number(verdicts.find((r) => r.metric['model'] === model)?.value[1] ?? 0) !== SCENARIO_FEATURES.length) return false;
            if (!samples.some((r) => r.metric['model'] === model)) return false;
            if (!outputs.some((r) => r.metric['model'] === model)) return false;
          }
          // the outage rule's "10× the usual gap" term for fraud is below the floor, so the floor decides
          const gap = await promQuery('10 / avg_over_time(driftwatch:model_predictions:rate10m{model="fraud"}[1d])');
          if (!(Number(gap[0]?.value[1] ?? Infinity) < OUTAGE_FLOOR_SECONDS)) return false;
          const alerts = (await prometheusAlerts()).filter((a) => a.labels['alertname'] !== 'Watchdog');
          if (alerts.length > 0) return false;
          // the dead man's switch is live, and nothing else was notified
          const received = notificationsOf(recorder.received());
          return received.some((n) => n.receiver === 'heartbeat') && received.every((n) => n.receiver === 'heartbeat');
        },
        { timeoutMs: 90_000, intervalMs: 500, describe: context },
      );

      // --- induce the four incidents at once
      inducedAtMs = Date.now();
      const set = (model: string, change: Partial<TrafficState>): void => {
        Object.assign(traffic.get(model) ?? {}, change);
      };
      set('fraud', { stopped: true });
      set('churn', { mode: 'strong' });
      set('pricing', { mode: 'minor' });
      set('ranking', { mode: 'strong', failShare: 0.2 });

      // --- wait until every expected notification arrived and every inhibition is in force
      const activeAt = new Map<string, number>();
      const outcome = await waitFor(
        'every incident to reach its receiver, and the inhibited alerts to fire in Prometheus but stay suppressed in Alertmanager',
        async () => {
          const received = notificationsOf(recorder.received());
          // a notification that must never happen ends the wait at once (the assertions below say which)
          const wrong = received.filter((n) => n.receiver !== 'heartbeat' && !isExpected(n));
          if (wrong.length > 0) return { unexpected: wrong.map((n) => `${n.receiver}: ${n.alertname} ${n.model} ${n.status}`) };
          for (const s of SCENARIOS) {
            for (const alert of s.notified) {
              if (!received.some((n) => n.receiver === s.receiver && n.model === s.model && n.alertname === alert && n.status === 'firing')) return false;
            }
          }
          const alerts = await prometheusAlerts();
          for (const a of alerts) {
            const key = `${a.labels['model']}/${a.labels['alertname']}`;
            const at = Date.parse(a.activeAt);
            if (!activeAt.has(key) || at < (activeAt.get(key) ?? Infinity)) activeAt.set(key, at);
          }
          const am = await alertmanagerAlerts();
          for (const s of SCENARIOS) {
            for (const alert of s.inhibited) {
              const mine = (x: { labels: Record<string, string> }): boolean => x.labels['model'] === s.model && x.labels['alertname'] === alert;
              if (!alerts.some((a) => mine(a) && a.state === 'firing')) return false;
              const inAm = am.filter(mine);
              if (inAm.length === 0 || !inAm.every((a) => a.status.state === 'suppressed')) return false;
            }
          }
          return { unexpected: [] as string[] };
        },
        { timeoutMs: 180_000, intervalMs: 250, describe: context },
      );
      if (outcome.unexpected.length > 0) console.log(`alerting e2e: unexpected notifications: ${outcome.unexpected.join('; ')}`);

      // Absence cannot be polled for: give Alertmanager a few of its 1 s group intervals to (wrongly) send
      // anything still in flight, then take the final picture.
      await sleep(4_000);
      notifications = notificationsOf(recorder.received());
      firing = (await prometheusAlerts()).filter((a) => a.state === 'firing');
      amAlerts = await alertmanagerAlerts();

      for (const s of SCENARIOS) {
        for (const alert of s.notified) {
          const first = notifications.filter((n) => n.model === s.model && n.alertname === alert && n.receiver === s.receiver).sort((a, b) => a.receivedAtMs - b.receivedAtMs)[0];
          timings.push({
            model: s.model,
            incident: s.incident,
            alert,
            receiver: s.receiver,
            activeAfterS: ((activeAt.get(`${s.model}/${alert}`) ?? NaN) - inducedAtMs) / 1000,
            arrivedAfterS: ((first?.receivedAtMs ?? NaN) - inducedAtMs) / 1000,
          });
        }
      }
      const table = timings
        .map((t) => `  ${t.incident.padEnd(22)} ${t.model.padEnd(8)} ${t.alert.padEnd(34)} → ${t.receiver.padEnd(9)} condition true after ${t.activeAfterS.toFixed(1).padStart(5)} s, webhook after ${t.arrivedAfterS.toFixed(1).padStart(5)} s`)
        .join('\n');
      console.log(
        `alerting e2e: time from induction to webhook (for: ÷${FOR_DIVISOR}, outage floor ${OUTAGE_FLOOR_SECONDS} s, scrape/eval 1 s, group_wait 1 s):\n${table}`,
      );
    }, 330_000);

    const of = (model: string): Notification[] => notifications.filter((n) => n.model === model);

    afterAll(async () => {
      if (timer !== undefined) clearInterval(timer);
      await Promise.all(monitors.map((m) => m.shutdown()));
      await prometheus?.stop();
      await alertmanager?.stop();
      await aggregator?.stop();
      await recorder?.close();
      if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
    }, 60_000);


    it.each(SCENARIOS.map((s) => [s.incident, s.model, s.receiver, s] as const))('%s (%s) reaches exactly its tier: %s', (_incident, _model, _receiver, s) => {
      const mine = of(s.model);
      expect(mine.length).toBeGreaterThan(0);
      expect([...new Set(mine.map((n) => n.receiver))]).toEqual([s.receiver]);
      expect([...new Set(mine.map((n) => n.alertname))].sort()).toEqual([...s.notified].sort());
      expect(mine.every((n) => n.status === 'firing')).toBe(true);
    });

    it('the data outage pages with a PagerDuty Events API v2 trigger event', () => {
      const events = of('fraud').map((n) => n.request.body as PagerDutyEvent);
      for (const event of events) {
        expect(event.routing_key).toBe(TEST_PAGERDUTY_ROUTING_KEY);
        expect(event.event_action).toBe('trigger');
        expect(event.dedup_key).toMatch(/^[0-9a-f]{64}$/);
        expect(event.payload).toMatchObject({ severity: 'critical', class: 'DriftwatchModelDataOutage', component: 'fraud', group: 'driftwatch' });
        expect(event.payload.summary).toContain('DriftwatchModelDataOutage · model fraud');
        expect(event.payload.source).toBeTruthy();
        expect(event.payload.custom_details?.['alerts']).toContain('Model fraud stopped receiving predictions.');
        expect(event.links?.map((l) => l.text)).toEqual(['Runbook', 'Dashboard']);
        expect(event.client_url).toContain(new URL(alertmanager?.baseUrl ?? 'http://x').port);
      }
    });

    it('the strong drift is posted to Slack with the runbook and the dashboard', () => {
      const messages = of('churn').map((n) => n.request.body as SlackMessage);
      const dataset = messages.flatMap((m) => m.attachments).find((a) => a.title.includes('DriftwatchDatasetDrift'));
      expect(dataset?.title).toMatch(/^\[FIRING:1\] DriftwatchDatasetDrift · model churn$/);
      expect(dataset?.text).toContain('Dataset drift on model churn version 1.');
      expect(dataset?.text).toContain(`window ${WINDOW}`);
    });

    it('the minor drift opens one ticket, for the one drifted feature, with the bearer token', () => {
      const tickets = of('pricing');
      expect(tickets.map((n) => n.request.headers.authorization)).toEqual(tickets.map(() => `Bearer ${TEST_WEBHOOK_TOKEN}`));
      const features = tickets.map((n) => (n.request.body as { alerts: Array<{ labels: Record<string, string> }> }).alerts.map((a) => a.labels['feature']));
      expect([...new Set(features.flat())]).toEqual(['x4']);
    });

    it('inhibition holds: no lower-tier notification for a model while it has a critical alert', () => {
      // ranking's high and low alerts are firing in Prometheus…
      const ranking = firing.filter((a) => a.labels['model'] === 'ranking').map((a) => `${a.labels['severity']}:${a.labels['alertname']}`);
      expect(ranking).toEqual(expect.arrayContaining(['critical:DriftwatchPredictionErrorRateHigh', 'high:DriftwatchDatasetDrift', 'low:DriftwatchFeatureDrift']));
      // …suppressed in Alertmanager by the critical one…
      const suppressed = amAlerts.filter((a) => a.labels['model'] === 'ranking' && a.labels['severity'] !== 'critical');
      expect(suppressed.length).toBeGreaterThanOrEqual(4);
      for (const a of suppressed) {
        expect(a.status.state, a.labels['alertname']).toBe('suppressed');
        expect(a.status.inhibitedBy.length, a.labels['alertname']).toBeGreaterThan(0);
      }
      // …and never reached Slack or the ticket system
      expect(of('ranking').filter((n) => n.receiver !== 'pagerduty')).toEqual([]);
      // and no model with a firing critical alert has any lower-tier notification
      const critical = new Set(firing.filter((a) => a.labels['severity'] === 'critical').map((a) => a.labels['model']));
      expect([...critical].sort()).toEqual(['fraud', 'ranking']);
      expect(notifications.filter((n) => critical.has(n.model) && n.receiver !== 'pagerduty')).toEqual([]);
    });

    it("single-feature drift tickets are inhibited by the same model's dataset drift", () => {
      const tickets = amAlerts.filter((a) => a.labels['model'] === 'churn' && a.labels['alertname'] === 'DriftwatchFeatureDrift');
      expect(tickets.map((a) => a.labels['feature']).sort()).toEqual(['segment', 'x2', 'x3']);
      for (const a of tickets) expect(a.status.state).toBe('suppressed');
    });

    it('every notification links to an existing runbook and a provisioned dashboard of that model', () => {
      const problems = notifications
        .filter((n) => n.receiver !== 'heartbeat')
        .flatMap((n) => {
          expect(n.runbookUrls.length, `${n.receiver} ${n.alertname}`).toBeGreaterThan(0);
          expect(n.dashboardUrls.length, `${n.receiver} ${n.alertname}`).toBeGreaterThan(0);
          return [
            ...n.runbookUrls.flatMap((url) => runbookLinkProblems(url, n.alertname)),
            ...n.dashboardUrls.flatMap((url) => dashboardLinkProblems(url, { model: n.model, version: VERSION, window: WINDOW })),
          ];
        });
      expect(problems).toEqual([]);
    });

    it('the Watchdog reaches the heartbeat receiver, and only it', () => {
      const beats = notifications.filter((n) => n.receiver === 'heartbeat');
      expect(beats.length).toBeGreaterThan(0);
      expect(new Set(beats.map((n) => n.alertname))).toEqual(new Set(['Watchdog']));
      expect(notifications.filter((n) => n.alertname === 'Watchdog' && n.receiver !== 'heartbeat')).toEqual([]);
    });

    it('every dashboard panel and variable query runs on the Prometheus that scrapes the real aggregator', async () => {
      const values = { model: 'churn', version: VERSION, window: WINDOW, method: 'wasserstein', __rate_interval: '4s', __interval: '1s', __range: '5m' };
      // the committed JSON Grafana provisions (grafana/dashboards.test.ts keeps it equal to the builders)
      const dashboards = DASHBOARDS.map((d) => JSON.parse(readFileSync(join(GRAFANA_DASHBOARDS_DIR, d.fileName), 'utf8')) as Parameters<typeof dashboardQueries>[0]);
      const queries = dashboards.flatMap((d) => [
        ...dashboardQueries(d).map((q) => ({ name: `${q.panel} › ${q.refId}`, expr: substituteVariables(q.expr, values) })),
        ...variableQueries(d).map((v) => ({ name: `$${v.name}`, expr: labelValuesAsPromql(substituteVariables(v.query, values)) })),
      ]);
      expect(queries.length).toBeGreaterThan(30);
      const empty: string[] = [];
      for (const q of queries) {
        const response = await instantQuery(prometheus?.baseUrl ?? '', q.expr);
        expect(response.error ?? '', q.name).toBe('');
        expect(response.status, q.name).toBe('success');
        if ((response.data?.result.length ?? 0) === 0) empty.push(q.name);
      }
      // the drift views have data from the real aggregator (performance and KPI panels need feedback and KPI
      // events, and p-values a test that has one (the primary methods here are wasserstein and jensenshannon))
      const withData = [
        'Drift score per feature ($method)',
        'Top drifting features ($method)',
        'Feature verdicts › A',
        'Feature verdicts › D',
        'Dataset drift share',
        'Prediction drift score',
        'Firing alerts',
        'Latency',
        'Latency SLO burn rate',
        'Predictions / s',
      ];
      const inPanel = (name: string, panel: string): boolean => name === panel || name.startsWith(`${panel} › `);
      for (const panel of withData) {
        expect(queries.some((q) => inPanel(q.name, panel)), `a panel ${panel}`).toBe(true);
        expect(empty.filter((name) => inPanel(name, panel)), `${panel} returned no series`).toEqual([]);
      }
    });

    it('the telemetry path itself stayed healthy: no failed export, no rejected point', async () => {
      for (const m of monitors) {
        const health = m.health();
        expect(health.export?.failed, health.export?.lastError).toBe(0);
        expect(health.export?.succeeded).toBeGreaterThan(10);
        expect(Object.values(health.drops).reduce((a, b) => a + b, 0), JSON.stringify(health.drops)).toBe(0);
      }
      expect(await promQuery('driftwatch_ingest_points_total{result="rejected"} > 0')).toEqual([]);
    });

    it('measured every arrival', () => {
      expect(timings.length).toBe(SCENARIOS.flatMap((s) => s.notified).length);
      for (const t of timings) expect(t.arrivedAfterS, `${t.model} ${t.alert}`).toBeGreaterThan(0);
    });
  },
);
