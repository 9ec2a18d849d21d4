/**
 * Renders a test variant of prometheus/prometheus.yml for integration tests: the same jobs and rules,
 * but scraping a local aggregator (or a stand-in) and alerting a local Alertmanager, with short intervals.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

export const PROMETHEUS_DIR = fileURLToPath(new URL('.', import.meta.url));
export const PRODUCTION_CONFIG_PATH = join(PROMETHEUS_DIR, 'prometheus.yml');
/** The job whose target is the aggregator (rules select `up{job="driftwatch"}`). */
export const AGGREGATOR_JOB = 'driftwatch';

/** Absolute paths of every rule file in prometheus/rules, sorted. */
export function ruleFilePaths(): string[] {
  const dir = join(PROMETHEUS_DIR, 'rules');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yml'))
    .sort()
    .map((name) => join(dir, name));
}

export interface TestPrometheusConfigOptions {
  /** host:port of the aggregator's /metrics, e.g. 127.0.0.1:41234 */
  readonly aggregatorTarget: string;
  /** host:port of an Alertmanager; without it the alerting section is removed */
  readonly alertmanagerTarget?: string;
  /** default: every file in prometheus/rules */
  readonly ruleFiles?: readonly string[];
  /** scrape and rule evaluation interval; default 1 */
  readonly intervalSeconds?: number;
}

interface PrometheusConfig {
  global?: Record<string, unknown>;
  rule_files?: string[];
  alerting?: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
  scrape_configs?: Array<{ job_name: string; static_configs?: Array<{ targets: string[] }>; [key: string]: unknown }>;
}

/**
 * Rewrites the production config text: keeps only the aggregator job (pointed at `aggregatorTarget`),
 * uses absolute rule file paths, and sets scrape/evaluation intervals. Throws when the production config
 * has no `driftwatch` job, so a renamed job cannot silently leave the rules' `up{job="driftwatch"}` empty.
 */
export function renderTestPrometheusConfig(productionYaml: string, options: TestPrometheusConfigOptions): string {
  const config = parse(productionYaml) as PrometheusConfig;
  const job = config.scrape_configs?.find((c) => c.job_name === AGGREGATOR_JOB);
  if (job === undefined) throw new Error(`prometheus.yml: scrape_configs has no job "${AGGREGATOR_JOB}"`);
  const interval = `${options.intervalSeconds ?? 1}s`;
  const rendered: PrometheusConfig = {
    ...config,
    global: { ...config.global, scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    rule_files: [...(options.ruleFiles ?? ruleFilePaths())],
    scrape_configs: [{ ...job, static_configs: [{ targets: [options.aggregatorTarget] }] }],
  };
  if (options.alertmanagerTarget === undefined) {
    delete rendered.alerting;
  } else {
    rendered.alerting = { alertmanagers: [{ static_configs: [{ targets: [options.alertmanagerTarget] }] }] };
  }
  return stringify(rendered);
}

/** {@link renderTestPrometheusConfig} applied to prometheus/prometheus.yml. */
export function renderTestPrometheusConfigFile(options: TestPrometheusConfigOptions): string {
  return renderTestPrometheusConfig(readFileSync(PRODUCTION_CONFIG_PATH, 'utf8'), options);
}
