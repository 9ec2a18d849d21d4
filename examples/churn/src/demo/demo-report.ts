/**
 * `drift-report.json`, the demo's machine-readable output: per feature the verdict, the drift method's value against
 * its threshold, PSI, the mean shift and the time to detect; plus the alerts, the checks and the report URL.
 */
import type { AlertDelivery } from './demo-context.js';
import type { DemoCheck, TimelineEvent } from './demo-scenario.js';
import { comparedValue, scoreOf, type ApiFeature } from './drift-api.js';
import type { DriftObserver, Observation } from './drift-observer.js';

export const DEMO_REPORT_FORMAT = 'driftwatch.demo-report/v1';

export type FeatureVerdict = 'drift' | 'no drift' | 'insufficient data' | 'no reference';

export interface FeatureReportEntry {
  feature: string;
  kind: 'numeric' | 'categorical';
  samples: number;
  verdict: FeatureVerdict;
  /** the verdict's method and the value it compared with the threshold (p-value or statistic) */
  method: string | null;
  value: number | null;
  threshold: number | null;
  /** Population Stability Index against the reference (the aggregator's extra `psi` score) */
  psi: number | null;
  /** numeric features: reference and current means (exact, from the profile and the window's sum / count) */
  meanShift: { reference: number; current: number; absolute: number; relative: number | null } | null;
  /** first evaluation flagging drift after the change began, and how long after it */
  detectedAt: string | null;
  timeToDetectSeconds: number | null;
  missingRatio: number | null;
  outOfRangeRatio: number | null;
  newCategoryRatio: number | null;
}

export interface DemoReport {
  format: typeof DEMO_REPORT_FORMAT;
  scenario: string;
  title: string;
  model: string;
  version: string;
  window: string;
  generatedAt: string;
  evaluatedAt: string;
  changeStartedAt: string | null;
  reportUrl: string;
  passed: boolean;
  durationSeconds: number;
  predictions: number;
  datasetDrift: { drifted: boolean | null; share: number | null; driftedFeatures: number; evaluatedFeatures: number };
  features: FeatureReportEntry[];
  outputs: Array<{ output: string; verdict: FeatureVerdict; method: string | null; value: number | null; threshold: number | null }>;
  performance: { feedbackSamples: number; metrics: Record<string, number>; sla: Record<string, number> };
  alerts: Array<{ name: string; severity: string; labels: Record<string, string>; summary: string; firedAt: string; secondsAfterChange: number | null; webhook: { ok: boolean; status: number | null; error: string | null } | null }>;
  checks: DemoCheck[];
  notes: string[];
  /** the scenario's key events (empty for scenarios without one) */
  timeline: Array<{ at: string; secondsAfterChange: number | null; stage: string; text: string }>;
}

function verdictOf(f: { hasReference: boolean; drift: { drifted: boolean } | null }): FeatureVerdict {
  if (!f.hasReference) return 'no reference';
  if (!f.drift) return 'insufficient data';
  return f.drift.drifted ? 'drift' : 'no drift';
}

function meanShiftOf(f: ApiFeature): FeatureReportEntry['meanShift'] {
  const r = f.summary?.reference?.mean;
  const c = f.summary?.current?.mean;
  if (r === undefined || c === undefined) return null;
  return { reference: r, current: c, absolute: c - r, relative: r !== 0 ? (c - r) / Math.abs(r) : null };
}

export interface DemoReportInput {
  readonly scenario: string;
  readonly title: string;
  readonly model: string;
  readonly version: string;
  readonly final: Observation;
  readonly observer: DriftObserver;
  readonly changeStartedAtMs: number | undefined;
  readonly reportUrl: string;
  readonly alerts: ReadonlyArray<{ name: string; severity: string; labels: Readonly<Record<string, string>>; summary: string; firedAtMs: number; key: string }>;
  readonly deliveries: readonly AlertDelivery[];
  readonly checks: readonly DemoCheck[];
  readonly notes: readonly string[];
  readonly timeline?: readonly TimelineEvent[];
  readonly durationSeconds: number;
  readonly nowMs: number;
}

/** Builds the report from the final evaluation and the history the observer kept. Pure. */
export function buildDemoReport(input: DemoReportInput): DemoReport {
  const { final } = input;
  const w = final.window;
  const since = input.changeStartedAtMs;
  const features = w.features.map((f): FeatureReportEntry => {
    const detected = since === undefined ? undefined : input.observer.firstDrift(f.feature, since);
    return {
      feature: f.feature,
      kind: f.kind,
      samples: f.samples,
      verdict: verdictOf(f),
      method: f.drift?.method ?? null,
      value: f.drift ? comparedValue(f.drift) : null,
      threshold: f.drift?.threshold ?? null,
      psi: scoreOf(f, 'psi')?.statistic ?? null,
      meanShift: meanShiftOf(f),
      detectedAt: detected ? new Date(detected.atMs).toISOString() : null,
      timeToDetectSeconds: detected && since !== undefined ? (detected.atMs - since) / 1000 : null,
      missingRatio: f.missingRatio,
      outOfRangeRatio: f.outOfRangeRatio,
      newCategoryRatio: f.newCategoryRatio,
    };
  });
  return {
    format: DEMO_REPORT_FORMAT,
    scenario: input.scenario,
    title: input.title,
    model: input.model,
    version: input.version,
    window: w.window,
    generatedAt: new Date(input.nowMs).toISOString(),
    evaluatedAt: new Date(final.atMs).toISOString(),
    changeStartedAt: since === undefined ? null : new Date(since).toISOString(),
    reportUrl: input.reportUrl,
    passed: input.checks.every((c) => c.passed) && input.deliveries.every((d) => d.delivery.ok),
    durationSeconds: input.durationSeconds,
    predictions: w.predictions,
    datasetDrift: { drifted: w.datasetDrift, share: w.driftShare, driftedFeatures: w.driftedFeatures, evaluatedFeatures: w.evaluatedFeatures },
    features,
    outputs: w.outputs.map((o) => ({ output: o.output, verdict: verdictOf(o), method: o.drift?.method ?? null, value: o.drift ? comparedValue(o.drift) : null, threshold: o.drift?.threshold ?? null })),
    performance: { feedbackSamples: w.performance.feedbackSamples, metrics: { ...w.performance.metrics }, sla: { ...final.sla } },
    alerts: input.alerts.map((a) => {
      const d = input.deliveries.find((x) => x.alert.key === a.key)?.delivery;
      return {
        name: a.name,
        severity: a.severity,
        labels: { ...a.labels },
        summary: a.summary,
        firedAt: new Date(a.firedAtMs).toISOString(),
        secondsAfterChange: since === undefined ? null : (a.firedAtMs - since) / 1000,
        webhook: d ? { ok: d.ok, status: d.status ?? null, error: d.error ?? null } : null,
      };
    }),
    checks: [...input.checks],
    notes: [...input.notes],
    timeline: [...(input.timeline ?? [])].sort((a, b) => a.atMs - b.atMs).map((e) => ({ at: new Date(e.atMs).toISOString(), secondsAfterChange: since === undefined ? null : (e.atMs - since) / 1000, stage: e.stage, text: e.text })),
  };
}
