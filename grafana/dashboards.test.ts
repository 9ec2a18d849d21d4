/**
 * Dashboards are code: the committed JSON matches the builders, every panel uses the provisioned
 * datasource, the required views exist, and every PromQL expression parses, reads only contract
 * metrics and runs (with data) on a live Prometheus scraping a synthetic aggregator.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ruleFilePaths } from '../prometheus/render-test-config.js';
import { exposedSeriesNames, loadContractMetrics } from '../test/support/contract-metrics.js';
import { dashboardQueries, labelValuesAsPromql, substituteVariables, variableQueries } from '../test/support/dashboard-queries.js';
import { binaryForTest } from '../test/support/find-binary.js';
import type { LivePrometheus } from '../test/support/live-prometheus.js';
import { startLivePrometheus } from '../test/support/live-prometheus.js';
import { instantQuery } from '../test/support/prometheus-api.js';
import { promqlMetricNames, promqlSyntaxErrors } from '../test/support/promql.js';
import { ALERTMANAGER_DATASOURCE, DASHBOARDS, FLEET_OVERVIEW_UID, MODEL_DETAIL_UID, PROMETHEUS_DATASOURCE, dashboardJson } from './src/index.js';

const GRAFANA_DIR = fileURLToPath(new URL('.', import.meta.url));
const DASHBOARDS_DIR = join(GRAFANA_DIR, 'dashboards');
const prometheus = binaryForTest(['prometheus']);

interface PanelJson {
  id?: number;
  type: string;
  title?: string;
  datasource?: { uid?: string; type?: string };
  targets?: Array<{ expr?: string; datasource?: { uid?: string } }>;
  fieldConfig?: { defaults?: { links?: Array<{ url?: string }> }; overrides?: Array<{ properties: Array<{ id: string; value?: unknown }> }> };
  panels?: PanelJson[];
}
interface DashboardJson {
  uid: string;
  title: string;
  panels: PanelJson[];
  templating: { list: Array<{ name: string; type: string; query?: unknown; datasource?: { uid?: string } }> };
}

const committed = DASHBOARDS.map(({ fileName }) => ({
  fileName,
  json: JSON.parse(readFileSync(join(DASHBOARDS_DIR, fileName), 'utf8')) as DashboardJson,
}));
const dashboardByUid = (uid: string): DashboardJson => {
  const found = committed.find((d) => d.json.uid === uid);
  if (found === undefined) throw new Error(`no committed dashboard with uid ${uid}`);
  return found.json;
};
const allPanels = (d: DashboardJson): PanelJson[] => d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const exprsOf = (p: PanelJson): string[] => (p.targets ?? []).flatMap((t) => (t.expr === undefined ? [] : [t.expr]));

/** Test values of the dashboard variables (models and windows of the synthetic aggregator). */
const VARIABLE_VALUES: Record<string, string> = {
  model: 'churn',
  version: '2',
  window: '1h',
  method: 'psi',
  __rate_interval: '1m',
  __interval: '15s',
  __range: '1h',
};

const queries = committed.flatMap(({ fileName, json }) =>
  dashboardQueries(json).map((q) => ({ name: `${fileName} › ${q.panel} › ${q.refId}`, expr: substituteVariables(q.expr, VARIABLE_VALUES) })),
);
const variables = committed.flatMap(({ fileName, json }) =>
  variableQueries(json).map((v) => ({ name: `${fileName} › $${v.name}`, expr: labelValuesAsPromql(substituteVariables(v.query, VARIABLE_VALUES)) })),
);

describe('generated dashboards', () => {
  it.each(DASHBOARDS.map((d) => [d.fileName, d] as const))('%s is up to date (run `npm run grafana:generate`)', (fileName, { build }) => {
    expect(readFileSync(join(DASHBOARDS_DIR, fileName), 'utf8')).toBe(dashboardJson(build()));
  });

  it('grafana/dashboards holds only generated dashboards', () => {
    expect(readdirSync(DASHBOARDS_DIR).sort()).toEqual(DASHBOARDS.map((d) => d.fileName).sort());
  });

  it('gives every panel a unique id', () => {
    for (const { json } of committed) {
      const ids = allPanels(json).map((p) => p.id);
      expect(new Set(ids).size, json.uid).toBe(ids.length);
      expect(ids.every((id) => typeof id === 'number')).toBe(true);
    }
  });
});

describe('datasources', () => {
  const provisioned = parse(readFileSync(join(GRAFANA_DIR, 'provisioning', 'datasources', 'driftwatch.yml'), 'utf8')) as {
    datasources: Array<{ uid: string; type: string; url: string; jsonData?: Record<string, unknown> }>;
  };

  it('provisions Prometheus and Alertmanager with the uids the dashboards use', () => {
    expect(provisioned.datasources.map((d) => ({ uid: d.uid, type: d.type }))).toEqual([
      { uid: PROMETHEUS_DATASOURCE.uid, type: PROMETHEUS_DATASOURCE.type },
      { uid: ALERTMANAGER_DATASOURCE.uid, type: ALERTMANAGER_DATASOURCE.type },
    ]);
  });

  it("sets Prometheus's timeInterval to the scrape interval ($__rate_interval depends on it)", () => {
    const promConfig = parse(readFileSync(join(GRAFANA_DIR, '..', 'prometheus', 'prometheus.yml'), 'utf8')) as { global: { scrape_interval: string } };
    expect(provisioned.datasources[0]?.jsonData?.['timeInterval']).toBe(promConfig.global.scrape_interval);
  });

  it('every query and variable of every dashboard uses the provisioned Prometheus', () => {
    for (const { json } of committed) {
      for (const panel of allPanels(json).filter((p) => p.type !== 'row')) {
        for (const target of panel.targets ?? []) expect(target.datasource?.uid, `${json.uid} › ${panel.title}`).toBe(PROMETHEUS_DATASOURCE.uid);
      }
      for (const variable of json.templating.list) expect(variable.datasource?.uid).toBe(PROMETHEUS_DATASOURCE.uid);
    }
  });

  it('provisions the dashboards from a file provider', () => {
    const path = join(GRAFANA_DIR, 'provisioning', 'dashboards', 'driftwatch.yml');
    expect(existsSync(path)).toBe(true);
    const providers = (parse(readFileSync(path, 'utf8')) as { providers: Array<{ type: string; options: { path: string } }> }).providers;
    expect(providers).toEqual([expect.objectContaining({ type: 'file', options: expect.objectContaining({ path: expect.any(String) }) })]);
  });
});

describe('fleet overview', () => {
  const fleet = dashboardByUid(FLEET_OVERVIEW_UID);
  const exprs = allPanels(fleet).flatMap(exprsOf).join('\n');

  it("shows every model's drift, outage, performance against its SLA, and firing alerts", () => {
    expect(exprs).toContain('driftwatch_model_drift_share');
    expect(exprs).toContain('driftwatch_model_last_seen_timestamp_seconds');
    expect(exprs).toContain('driftwatch:model_sla_threshold:effective{objective="min_accuracy"}');
    expect(exprs).toMatch(/ALERTS\{alertstate="firing"/);
  });

  it('links each model to its detail dashboard', () => {
    const table = allPanels(fleet).find((p) => p.title === 'Models');
    const links = (table?.fieldConfig?.overrides ?? []).flatMap((o) => o.properties.filter((p) => p.id === 'links').flatMap((p) => p.value as Array<{ url: string }>));
    expect(links.map((l) => l.url)).toEqual([expect.stringContaining(`/d/${MODEL_DETAIL_UID}/`)]);
    expect(links[0]?.url).toContain('var-model=${__value.raw}');
  });
});

describe('model detail', () => {
  const detail = dashboardByUid(MODEL_DETAIL_UID);
  const panels = allPanels(detail);

  it('has $model, $version and $window variables (and the drift method)', () => {
    expect(detail.templating.list.map((v) => v.name)).toEqual(['model', 'version', 'window', 'method']);
  });

  it('draws drift per feature over time as a heatmap', () => {
    const heatmap = panels.find((p) => p.type === 'heatmap');
    expect(exprsOf(heatmap ?? { type: '' }).join()).toMatch(/max by \(feature\) \(driftwatch_feature_drift_score\{/);
  });

  it('lists the top drifting features', () => {
    expect(panels.some((p) => exprsOf(p).some((e) => e.startsWith('topk(10, max by (feature) (driftwatch_feature_drift_score')))).toBe(true);
  });

  it('covers data quality, prediction drift, and volume, latency and errors', () => {
    const exprs = panels.flatMap(exprsOf).join('\n');
    for (const metric of [
      'driftwatch_feature_missing_ratio',
      'driftwatch_feature_out_of_range_ratio',
      'driftwatch_feature_new_category_ratio',
      'driftwatch_feature_frozen',
      'driftwatch_prediction_drift_score',
      'driftwatch_prediction_drift_detected',
      'driftwatch_predictions_total',
      'driftwatch_prediction_duration_seconds_bucket',
      'driftwatch_prediction_errors_total',
      'driftwatch:prediction_slow_ratio:rate1h',
    ]) {
      expect(exprs, metric).toContain(metric);
    }
  });

  it('puts performance and business KPIs on the same time axis as drift (one panel)', () => {
    const together = panels.find((p) => {
      const e = exprsOf(p).join('\n');
      return p.type === 'timeseries' && e.includes('driftwatch_model_drift_share') && e.includes('driftwatch_model_performance') && e.includes('driftwatch_kpi{');
    });
    expect(together?.title).toBeDefined();
  });
});

describe('PromQL of every panel and variable', () => {
  const recorded = new Set(
    ruleFilePaths().flatMap((path) =>
      (parse(readFileSync(path, 'utf8')) as { groups: Array<{ rules: Array<{ record?: string }> }> }).groups.flatMap((g) =>
        g.rules.flatMap((r) => (r.record === undefined ? [] : [r.record])),
      ),
    ),
  );
  const known = new Set([...loadContractMetrics().flatMap(exposedSeriesNames), ...recorded, 'ALERTS', 'up']);

  it.each([...queries, ...variables].map((q) => [q.name, q.expr] as const))('%s parses and reads only known metrics', (_name, expr) => {
    expect(promqlSyntaxErrors(expr)).toEqual([]);
    expect(promqlMetricNames(expr).filter((m) => !known.has(m))).toEqual([]);
  });
});

describe.skipIf(prometheus === undefined)('PromQL on a live Prometheus (synthetic aggregator from docs/metrics.md)', () => {
  let live: LivePrometheus;
  beforeAll(async () => {
    live = await startLivePrometheus(prometheus ?? 'prometheus');
  });
  afterAll(async () => {
    await live?.stop();
  });

  it.each([...queries, ...variables].map((q) => [q.name, q.expr] as const))('%s runs and returns data', async (_name, expr) => {
    const response = await instantQuery(live.baseUrl, expr);
    expect(response.error ?? '').toBe('');
    expect(response.status).toBe('success');
    // Alerts need their `for` duration to fire, longer than this test runs; pending ones carry the same
    // labels, so the panel's matchers are checked against those instead.
    const withData = expr.includes('alertstate="firing"') ? await instantQuery(live.baseUrl, expr.replaceAll('alertstate="firing"', 'alertstate=~"firing|pending"')) : response;
    expect(withData.data?.result.length, 'series returned for the synthetic fleet').toBeGreaterThan(0);
  });
});
