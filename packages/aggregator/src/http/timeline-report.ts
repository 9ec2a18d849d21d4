import type { WindowConfig } from '../config/aggregator-config.js';
import { performanceOf, type SeriesReader } from '../engine/performance-of.js';
import type { ModelState, VersionState } from '../state/aggregator-state.js';

/** Most points in one timeline; longer spans group several window slices per point. */
export const TIMELINE_MAX_POINTS = 120;

interface TimelinePoint {
  start: string;
  end: string;
  /** false for the point still being filled (its end is in the future) */
  complete: boolean;
  predictions: number;
  feedbackSamples: number;
  metrics: Record<string, number>;
  kpis: Record<string, { events: number; mean: number | null }>;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function versionPoints(m: ModelState, v: VersionState, w: WindowConfig, nowMs: number, stepMs: number, fromMs: number): TimelinePoint[] {
  const points: TimelinePoint[] = [];
  for (let start = fromMs; start <= nowMs; start += stepMs) {
    const end = start + stepMs;
    const capture: SeriesReader = (h) => h.series.capture(start, end, nowMs);
    const performance = performanceOf(v, m.config.performance, capture);
    const kpis: TimelinePoint['kpis'] = Object.create(null) as TimelinePoint['kpis'];
    for (const [name, k] of m.kpis) {
      const events = k.events ? capture(k.events).count : 0;
      const sum = k.sum ? capture(k.sum).sum : 0;
      kpis[name] = { events, mean: events > 0 ? sum / events : null };
    }
    points.push({
      start: iso(start),
      end: iso(end),
      complete: end <= nowMs,
      predictions: v.predictions ? capture(v.predictions).count : 0,
      feedbackSamples: performance.feedbackSamples,
      metrics: Object.fromEntries(performance.metrics),
      kpis,
    });
  }
  return points;
}

/**
 * `GET /api/v1/models/{model}/timeline`: volume, performance from feedback (the same metrics as
 * `driftwatch_model_performance`, each point computed on its own slices with the same minimum feedback sample) and
 * KPI means over time, within one window. Points are the window's slices (grouped when there are more than
 * {@link TIMELINE_MAX_POINTS}), from the version's first data (or the window's start) to now; each point reads its
 * slices with `capture`. Cost: O(points × series × slices).
 */
export function timelineReport(m: ModelState, w: WindowConfig, nowMs: number, filter: { version?: string }): unknown {
  const versions = [...m.versions.values()]
    .filter((v) => filter.version === undefined || v.version === filter.version)
    .sort((a, b) => a.version.localeCompare(b.version, undefined, { numeric: true }))
    .map((v) => {
      const lastSlice = Math.floor(nowMs / w.sliceMs);
      const windowFirst = lastSlice - w.durationMs / w.sliceMs + 1;
      const dataFirst = v.firstSeenMs > 0 ? Math.floor(v.firstSeenMs / w.sliceMs) : lastSlice;
      const first = Math.min(lastSlice, Math.max(windowFirst, dataFirst));
      const slices = lastSlice - first + 1;
      const perPoint = Math.max(1, Math.ceil(slices / TIMELINE_MAX_POINTS));
      const pointCount = Math.ceil(slices / perPoint);
      const stepMs = perPoint * w.sliceMs;
      const fromMs = (lastSlice - pointCount * perPoint + 1) * w.sliceMs;
      return { version: v.version, stepSeconds: stepMs / 1000, points: versionPoints(m, v, w, nowMs, stepMs, fromMs) };
    });
  return {
    model: m.name,
    window: w.name,
    generatedAt: iso(nowMs),
    minFeedbackSamples: m.config.performance.minSamples,
    sla: Object.fromEntries(m.config.sla),
    kpis: [...m.kpis.keys()].sort(),
    versions,
  };
}
