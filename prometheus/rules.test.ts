/**
 * The alert rules' contract: promtool checks and unit tests pass, every alert has a firing and a quiet
 * unit test, the required labels and annotations, a runbook, only contract metrics, and every rule
 * evaluates without error on a live Prometheus scraping a synthetic aggregator.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DASHBOARDS } from '../grafana/src/index.js';
import { exposedSeriesNames, loadContractMetrics } from '../test/support/contract-metrics.js';
import { binaryForTest } from '../test/support/find-binary.js';
import type { LivePrometheus } from '../test/support/live-prometheus.js';
import { startLivePrometheus } from '../test/support/live-prometheus.js';
import { instantQuery, ruleGroups } from '../test/support/prometheus-api.js';
import { promqlMetricNames, promqlSyntaxErrors } from '../test/support/promql.js';
import { PROMETHEUS_DIR, PRODUCTION_CONFIG_PATH, ruleFilePaths } from './render-test-config.js';

const run = promisify(execFile);
const REPO_ROOT = resolve(PROMETHEUS_DIR, '..');
const TESTS_DIR = join(PROMETHEUS_DIR, 'tests');
const RUNBOOKS_DIR = join(REPO_ROOT, 'docs', 'runbooks');
const RUNBOOK_BASE_URL = 'https://github.com/driftwatch/driftwatch/blob/main/docs/runbooks/';
const GRAFANA_BASE_URL = 'http://localhost:3000';

const promtool = binaryForTest(['promtool']);
const prometheus = binaryForTest(['prometheus']);

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RecordingRule {
  record: string;
  expr: string;
}
type Rule = AlertRule | RecordingRule;
interface RuleFile {
  groups: Array<{ name: string; rules: Rule[] }>;
}
interface PromtoolTestFile {
  rule_files: string[];
  tests: Array<{
    name?: string;
    input_series?: unknown[];
    alert_rule_test?: Array<{ alertname: string; eval_time: string; exp_alerts?: Array<{ exp_labels?: Record<string, string> }> }>;
  }>;
}

const ruleFiles = ruleFilePaths().map((path) => ({ path, tier: basename(path, '.yml'), content: parse(readFileSync(path, 'utf8')) as RuleFile }));
const rules = ruleFiles.flatMap((file) => file.content.groups.flatMap((group) => group.rules.map((rule) => ({ file: file.tier, rule }))));
const alerts = rules.flatMap(({ file, rule }) => ('alert' in rule ? [{ tier: file, rule }] : []));
const recordedNames = new Set(rules.flatMap(({ rule }) => ('record' in rule ? [rule.record] : [])));
const testFiles = readdirSync(TESTS_DIR)
  .filter((name) => name.endsWith('.yml'))
  .map((name) => ({ name, content: parse(readFileSync(join(TESTS_DIR, name), 'utf8')) as PromtoolTestFile }));

/** Severity each tier file must use; the Watchdog is the one alert allowed severity "none" (it must never page). */
const TIER_SEVERITY: Record<string, string> = { critical: 'critical', high: 'high', low: 'low', lifecycle: 'high', rollout: 'high' }; // lifecycle.yml: the retraining loop, rollout.yml: rollouts (see their headers)
const WATCHDOG = 'Watchdog';

describe('alert rules: structure', () => {
  it('defines the three tiers, a dead man\'s switch and the recording rules', () => {
    expect(ruleFiles.map((f) => f.tier)).toEqual(['critical', 'high', 'lifecycle', 'low', 'recording', 'rollout']);
    expect(alerts.map((a) => a.rule.alert)).toContain(WATCHDOG);
    expect(alerts.length).toBeGreaterThanOrEqual(15);
  });

  it.each(alerts.map((a) => [a.rule.alert, a] as const))('%s has its tier severity and the required annotations', (name, { tier, rule }) => {
    const expectedSeverity = name === WATCHDOG ? 'none' : TIER_SEVERITY[tier];
    expect(rule.labels?.['severity'], `${name} severity`).toBe(expectedSeverity);
    for (const key of ['summary', 'description', 'runbook_url', 'dashboard_url']) {
      expect(rule.annotations?.[key]?.trim(), `${name} annotation ${key}`).toBeTruthy();
    }
    expect(rule.annotations?.['runbook_url']).toBe(`${RUNBOOK_BASE_URL}${name}.md`);
    const dashboardUids = DASHBOARDS.map((d) => d.build().uid);
    const dashboardUrl = rule.annotations?.['dashboard_url'] ?? '';
    expect(
      dashboardUids.some((uid) => dashboardUrl.startsWith(`${GRAFANA_BASE_URL}/d/${uid}/`)),
      `${name} dashboard_url ${dashboardUrl} points at a generated dashboard`,
    ).toBe(true);
  });

  it.each(alerts.map((a) => [a.rule.alert, a.rule] as const))('%s has a runbook that says what to check first', (name) => {
    const path = join(RUNBOOKS_DIR, `${name}.md`);
    expect(existsSync(path), path).toBe(true);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(new RegExp(`^# ${name}\\b`, 'm'));
    for (const heading of ['## What it means', '## What to check first', '## How to mitigate']) expect(text, `${name}: ${heading}`).toContain(heading);
  });

  it('has no runbook without an alert', () => {
    const names = new Set(alerts.map((a) => a.rule.alert));
    const orphans = readdirSync(RUNBOOKS_DIR).filter((f) => f.endsWith('.md') && !names.has(basename(f, '.md')));
    expect(orphans).toEqual([]);
  });

  it('does not page on noise: every alert except the Watchdog waits (for) and holds (keep_firing_for)', () => {
    const eager = alerts.filter((a) => a.rule.alert !== WATCHDOG && a.rule.for === undefined).map((a) => a.rule.alert);
    expect(eager).toEqual([]);
    // keep_firing_for (Prometheus >= 2.42): a value hovering at a threshold does not resolve and re-notify
    const flapping = alerts.filter((a) => a.rule.alert !== WATCHDOG && a.rule.keep_firing_for === undefined).map((a) => a.rule.alert);
    expect(flapping).toEqual([]);
  });

  it.each(rules.map(({ rule }) => ['alert' in rule ? rule.alert : rule.record, rule.expr] as const))(
    '%s: PromQL parses and reads only contract metrics',
    (_name, expr) => {
      expect(promqlSyntaxErrors(expr)).toEqual([]);
      const known = new Set([...loadContractMetrics().flatMap(exposedSeriesNames), ...recordedNames, 'up']);
      expect(promqlMetricNames(expr).filter((metric) => !known.has(metric))).toEqual([]);
    },
  );
});

describe('alert rules: unit test coverage', () => {
  const cases = testFiles.flatMap((file) =>
    file.content.tests.flatMap((test) =>
      (test.alert_rule_test ?? []).map((check) => ({ file: file.name, test, check, firing: (check.exp_alerts ?? []).length > 0 })),
    ),
  );

  it('every rule file is loaded by a test file, and every test file loads existing rule files', () => {
    const loaded = new Set(testFiles.flatMap((f) => f.content.rule_files.map((r) => resolve(TESTS_DIR, r))));
    for (const path of ruleFilePaths()) expect(loaded.has(path), path).toBe(true);
    for (const path of loaded) expect(existsSync(path), path).toBe(true);
  });

  it.each(alerts.map((a) => [a.rule.alert] as const))('%s has a firing test and (except the Watchdog) a quiet test', (name) => {
    const own = cases.filter((c) => c.check.alertname === name);
    expect(own.some((c) => c.firing), `${name}: a test where it fires`).toBe(true);
    // a quiet test only counts if it has input: an alert with no data is trivially quiet
    const quiet = own.filter((c) => !c.firing && (c.test.input_series ?? []).length > 0);
    if (name !== WATCHDOG) expect(quiet.length, `${name}: a test where it stays quiet`).toBeGreaterThan(0);
  });

  it('every firing expectation carries severity, model and version labels', () => {
    const firing = cases.filter((c) => c.firing);
    for (const c of firing) {
      for (const alert of c.check.exp_alerts ?? []) {
        for (const label of ['severity', 'model', 'version']) {
          expect(alert.exp_labels?.[label], `${c.check.alertname} (${c.file}, ${c.check.eval_time}): label ${label}`).toBeTruthy();
        }
      }
    }
  });
});

describe.skipIf(promtool === undefined)('promtool', () => {
  const bin = promtool ?? 'promtool';

  it('check rules: every rule file is valid', async () => {
    const { stdout } = await run(bin, ['check', 'rules', ...ruleFilePaths()]);
    expect(stdout).toContain('SUCCESS');
  });

  it('check config: prometheus.yml is valid and loads the rule files', async () => {
    const { stdout } = await run(bin, ['check', 'config', PRODUCTION_CONFIG_PATH]);
    expect(stdout).toContain(`SUCCESS: ${ruleFilePaths().length} rule files found`);
  });

  it('test rules: every unit test passes', async () => {
    // one promtool per file, in parallel: each file takes a few seconds of simulated evaluation
    const results = await Promise.all(
      testFiles.map((f) => run(bin, ['test', 'rules', join(TESTS_DIR, f.name)]).catch((error: { stdout?: string; stderr?: string }) => error)),
    );
    for (const [i, result] of results.entries()) {
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
      expect(output, testFiles[i]?.name).toContain('SUCCESS');
      expect(output, testFiles[i]?.name).not.toContain('FAILED');
    }
  });
});

describe.skipIf(prometheus === undefined)('rules on a live Prometheus (synthetic aggregator from docs/metrics.md)', () => {
  let live: LivePrometheus;
  beforeAll(async () => {
    live = await startLivePrometheus(prometheus ?? 'prometheus');
  });
  afterAll(async () => {
    await live?.stop();
  });

  it('loads every rule and evaluates each without error', async () => {
    const loaded = (await ruleGroups(live.baseUrl)).flatMap((g) => g.rules);
    expect(loaded.map((r) => r.name).sort()).toEqual(rules.map(({ rule }) => ('alert' in rule ? rule.alert : rule.record)).sort());
    const unhealthy = loaded.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`);
    expect(unhealthy).toEqual([]);
  });

  it.each(rules.map(({ rule }) => ['alert' in rule ? rule.alert : rule.record, rule.expr] as const))('%s: query succeeds', async (_name, expr) => {
    const response = await instantQuery(live.baseUrl, expr);
    expect(response.error ?? '').toBe('');
    expect(response.status).toBe('success');
  });

  it('applies SLA fallbacks per model: churn has its own objectives, fraud only the defaults', async () => {
    const response = await instantQuery(live.baseUrl, 'driftwatch:model_sla_threshold:effective');
    const series = (response.data?.result ?? []) as Array<{ metric: Record<string, string>; value: [number, string] }>;
    const of = (model: string): Record<string, number> =>
      Object.fromEntries(series.filter((s) => s.metric['model'] === model).map((s) => [s.metric['objective'] ?? '', Number(s.value[1])]));
    expect(of('churn')).toEqual({
      min_accuracy: 0.8,
      min_roc_auc: 0.75,
      max_mae: 10,
      max_latency_seconds: 0.25,
      latency_slo_ratio: 0.99,
      max_error_ratio: 0.05,
      max_drift_share: 0.5,
    });
    expect(of('fraud')).toEqual({ max_error_ratio: 0.05, max_drift_share: 0.5 });
  });

  it('fires the Watchdog (the dead man\'s switch is live)', async () => {
    const response = await instantQuery(live.baseUrl, 'ALERTS{alertname="Watchdog", alertstate="firing"}');
    expect(response.data?.result.length).toBe(1);
  });
});
