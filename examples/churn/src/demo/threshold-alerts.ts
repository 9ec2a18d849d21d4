/**
 * The demo's threshold alerts: the first rung of the alerting ladder, evaluated on the aggregator's JSON API
 * without Prometheus. The rules mirror the Prometheus alerts of prometheus/ (same names, severities and runbooks),
 * with demo-sized durations: a condition must hold in {@link ALERT_RULES}.forEvaluations consecutive evaluations
 * before its alert fires (Prometheus' `for:`), and each alert fires once.
 */
import type { Observation } from './drift-observer.js';

export type AlertName =
  | 'DriftwatchFeatureDrift'
  | 'DriftwatchImportantFeatureDrift'
  | 'DriftwatchNewCategories'
  | 'DriftwatchPerformanceBelowSLA'
  | 'DriftwatchModelDataOutage';

export type Severity = 'critical' | 'high' | 'low';

export const ALERT_RULES = {
  /** consecutive evaluations a condition must hold before it fires */
  forEvaluations: 2,
  /** new-category share of a categorical feature above which DriftwatchNewCategories fires */
  newCategoryRatio: 0.01,
  /** seconds without a prediction (after traffic was seen) before DriftwatchModelDataOutage fires */
  outageSeconds: 5,
} as const;

/** A condition that holds in one evaluation. */
export interface AlertCandidate {
  /** identity: the alert name and its labels */
  readonly key: string;
  readonly name: AlertName;
  readonly severity: Severity;
  readonly labels: Readonly<Record<string, string>>;
  readonly summary: string;
  readonly value: number;
  readonly threshold: number;
}

export interface FiredAlert extends AlertCandidate {
  /** first evaluation in which the condition held */
  readonly activeSinceMs: number;
  /** evaluation at which the alert fired */
  readonly firedAtMs: number;
}

const PERFORMANCE_OBJECTIVES: ReadonlyArray<readonly [metric: string, objective: string, direction: 'min' | 'max']> = [
  ['accuracy', 'min_accuracy', 'min'],
  ['roc_auc', 'min_roc_auc', 'min'],
  ['mae', 'max_mae', 'max'],
];

function candidate(name: AlertName, severity: Severity, labels: Record<string, string>, summary: string, value: number, threshold: number): AlertCandidate {
  const key = `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
  return { key, name, severity, labels, summary, value, threshold };
}

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(3));

/** The alert conditions that hold in one evaluation of `model` `version`. Pure. */
export function alertCandidates(o: Observation, model: string, version: string): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  const base = { model, version, window: o.window.window };
  for (const f of o.window.features) {
    const d = f.drift;
    if (d?.drifted) {
      const value = d.pValue ?? d.statistic ?? Number.NaN;
      out.push(
        candidate(
          f.important ? 'DriftwatchImportantFeatureDrift' : 'DriftwatchFeatureDrift',
          f.important ? 'high' : 'low',
          { ...base, feature: f.feature, method: d.method },
          `${model} v${version}: feature ${f.feature} drifted (${d.method} ${d.pValue !== null ? `p = ${fmt(value)} ${d.method === 'ks' ? '≤' : '<'}` : `${fmt(value)} ≥`} ${d.threshold}, window ${o.window.window})`,
          value,
          d.threshold,
        ),
      );
    }
    if (f.newCategoryRatio !== null && f.newCategoryRatio > ALERT_RULES.newCategoryRatio) {
      out.push(
        candidate(
          'DriftwatchNewCategories',
          'low',
          { ...base, feature: f.feature },
          `${model} v${version}: ${(f.newCategoryRatio * 100).toFixed(1)}% of ${f.feature} values are categories the reference never had (> ${ALERT_RULES.newCategoryRatio * 100}%)`,
          f.newCategoryRatio,
          ALERT_RULES.newCategoryRatio,
        ),
      );
    }
  }
  for (const [metric, objective, direction] of PERFORMANCE_OBJECTIVES) {
    const value = o.window.performance.metrics[metric];
    const target = o.sla[objective];
    if (value === undefined || target === undefined) continue;
    if (direction === 'min' ? value < target : value > target) {
      out.push(
        candidate(
          'DriftwatchPerformanceBelowSLA',
          'high',
          { ...base, metric },
          `${model} v${version}: ${metric} ${fmt(value)} ${direction === 'min' ? '<' : '>'} SLA ${objective} ${target} (from ${o.window.performance.feedbackSamples} labels, window ${o.window.window})`,
          value,
          target,
        ),
      );
    }
  }
  if (o.lastSeenMs !== undefined) {
    const silentSeconds = (o.atMs - o.lastSeenMs) / 1000;
    if (silentSeconds >= ALERT_RULES.outageSeconds) {
      out.push(
        candidate(
          'DriftwatchModelDataOutage',
          'critical',
          { model, version },
          `${model} v${version}: no predictions for ${silentSeconds.toFixed(0)} s (≥ ${ALERT_RULES.outageSeconds} s) — the model stopped receiving traffic`,
          silentSeconds,
          ALERT_RULES.outageSeconds,
        ),
      );
    }
  }
  return out;
}

/**
 * Turns conditions into alerts: a condition must hold in `forEvaluations` consecutive evaluations (a gap resets it);
 * then its alert fires, once.
 */
export class AlertTracker {
  readonly fired: FiredAlert[] = [];
  private readonly active = new Map<string, { sinceMs: number; count: number }>();
  private readonly firedKeys = new Set<string>();

  constructor(private readonly forEvaluations: number = ALERT_RULES.forEvaluations) {}

  /** Feeds the conditions of one evaluation; returns the alerts that fire now. */
  observe(candidates: readonly AlertCandidate[], atMs: number): FiredAlert[] {
    const now: FiredAlert[] = [];
    const seen = new Set<string>();
    for (const c of candidates) {
      seen.add(c.key);
      const a = this.active.get(c.key) ?? { sinceMs: atMs, count: 0 };
      a.count++;
      this.active.set(c.key, a);
      if (a.count >= this.forEvaluations && !this.firedKeys.has(c.key)) {
        this.firedKeys.add(c.key);
        const alert: FiredAlert = { ...c, activeSinceMs: a.sinceMs, firedAtMs: atMs };
        this.fired.push(alert);
        now.push(alert);
      }
    }
    for (const key of [...this.active.keys()]) if (!seen.has(key)) this.active.delete(key);
    return now;
  }

  /** Alerts fired so far whose labels include `labels`. */
  firedWith(name: AlertName | undefined, labels: Readonly<Record<string, string>> = {}): FiredAlert[] {
    return this.fired.filter((a) => (name === undefined || a.name === name) && Object.entries(labels).every(([k, v]) => a.labels[k] === v));
  }
}
