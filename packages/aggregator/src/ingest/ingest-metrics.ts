import type { AttributeValue, Attributes, ExportMetricsServiceRequest, Metric } from '@driftwatch/otlp';
import { DataPointFlags } from '@driftwatch/otlp';
import type { AggregatorState, ModelState, VersionState } from '../state/aggregator-state.js';
import { CONFUSION_SEPARATOR } from '../state/series-kinds.js';
import { resourceDigest } from './attribute-key.js';
import { ATTR, CLASS_OUTPUT, CONVENTION_METRICS, ROLES, type Role } from './conventions.js';
import { expHistogramView, explicitHistogramOf } from './point-views.js';
import type { DeltaTarget } from '../sketch/histogram-accumulator.js';
import type { StreamScope } from './stream-index.js';
import { TEMPORALITY_CUMULATIVE, TEMPORALITY_DELTA, type StreamVerdict } from './stream-store.js';

/** Why a point was rejected (the `reason` label of driftwatch_ingest_points_total). */
export type RejectReason = 'missing_model' | 'unsupported_type' | 'cardinality' | 'invalid';

export interface IngestResult {
  readonly accepted: number;
  readonly rejected: number;
  readonly ignored: number;
  /** Per-reason summary for OTLP `partialSuccess.errorMessage` ('' when nothing was rejected). */
  readonly errorMessage: string;
}

/** Longest feature, output, KPI, label or error-type name accepted (categories are truncated instead). */
export const MAX_NAME_LENGTH = 256;

class Tally {
  accepted = 0;
  ignored = 0;
  readonly rejected = new Map<RejectReason, { count: number; example: string }>();

  reject(reason: RejectReason, example: string, n = 1): void {
    const r = this.rejected.get(reason);
    if (r) r.count += n;
    else this.rejected.set(reason, { count: n, example });
  }

  get rejectedCount(): number {
    let n = 0;
    for (const r of this.rejected.values()) n += r.count;
    return n;
  }

  message(): string {
    if (this.rejected.size === 0) return '';
    return [...this.rejected].map(([reason, r]) => `${r.count} rejected (${reason}): ${r.example}`).join('; ');
  }
}

/**
 * An attribute as a string. Own properties only: a map with a prototype is asked with `Object.hasOwn`, while the
 * decoders' maps, which have none, are read directly (one lookup instead of two).
 */
function stringAttr(attrs: Attributes, key: string): string | undefined {
  const v: AttributeValue | undefined = Object.getPrototypeOf(attrs) === null || Object.hasOwn(attrs, key) ? attrs[key] : undefined;
  if (typeof v === 'string') return v.length > 0 ? v : undefined;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

function pointCount(metric: Metric): number {
  return metric.data.type === 'empty' ? 0 : metric.data.points.length;
}

/**
 * Applies one decoded OTLP metrics export to the state (docs/semantic-conventions.md): finds each point's model,
 * version and role, enforces the cardinality limits, turns cumulative points into deltas through the stream store
 * and adds the deltas to the windowed series and counters at `nowMs`. Unknown metrics are ignored (counted);
 * invalid points are rejected (counted, and reported back in `partialSuccess`). Never throws on bad input.
 * Cost: O(points × buckets).
 */
export function ingestMetrics(state: AggregatorState, request: ExportMetricsServiceRequest, nowMs: number): IngestResult {
  const tally = new Tally();
  for (const rm of request.resourceMetrics) {
    const resource = resourceDigest(rm.resource.attributes);
    for (const sm of rm.scopeMetrics) {
      for (const metric of sm.metrics) ingestMetric(state, tally, resource, metric, nowMs);
    }
  }
  for (const [reason, r] of tally.rejected) state.countPoints('rejected', reason, r.count);
  state.countPoints('accepted', 'ok', tally.accepted);
  state.counters.ignored += tally.ignored;
  return { accepted: tally.accepted, rejected: tally.rejectedCount, ignored: tally.ignored, errorMessage: tally.message() };
}

function ingestMetric(state: AggregatorState, tally: Tally, resource: string, metric: Metric, nowMs: number): void {
  const expected = CONVENTION_METRICS.get(metric.name);
  const data = metric.data;
  if (expected === undefined) {
    tally.ignored += pointCount(metric);
    return;
  }
  if (data.type === 'empty') return;
  if (data.type !== expected) {
    tally.reject('unsupported_type', `${metric.name} must be ${expected}, got ${data.type}`, data.points.length);
    return;
  }
  const temporality = 'temporality' in data ? data.temporality : 0;
  if (temporality !== TEMPORALITY_CUMULATIVE && temporality !== TEMPORALITY_DELTA) {
    tally.reject('invalid', `${metric.name}: aggregation temporality ${temporality} is neither delta nor cumulative`, data.points.length);
    return;
  }
  if (data.type === 'sum' && !data.isMonotonic) {
    tally.reject('unsupported_type', `${metric.name} must be a monotonic Sum`, data.points.length);
    return;
  }
  let scope: StreamScope | undefined;
  for (const point of data.points) {
    if (point.flags & DataPointFlags.NO_RECORDED_VALUE) {
      tally.accepted++;
      continue;
    }
    const attrs = point.attributes;
    const model = stringAttr(attrs, ATTR.modelName);
    const version = stringAttr(attrs, ATTR.modelVersion);
    if (model === undefined || version === undefined) {
      tally.reject('missing_model', `${metric.name} point without ${ATTR.modelName} and ${ATTR.modelVersion}`);
      continue;
    }
    if (model.length > MAX_NAME_LENGTH || version.length > MAX_NAME_LENGTH) {
      tally.reject('invalid', `model name or version longer than ${MAX_NAME_LENGTH} characters`);
      continue;
    }
    const role = (stringAttr(attrs, ATTR.role) ?? 'primary') as Role;
    if (!ROLES.includes(role)) {
      tally.reject('invalid', `${ATTR.role} ${JSON.stringify(role)} is not one of ${ROLES.join(', ')}`);
      continue;
    }
    if (point.timeUnixNano === 0n) {
      tally.reject('invalid', `${metric.name}: timeUnixNano is required`);
      continue;
    }
    const v = state.admitVersion(model, version, nowMs);
    if (typeof v === 'string') {
      tally.reject('cardinality', `too many ${v === 'model' ? 'models' : `versions of model ${JSON.stringify(model)}`}`);
      continue;
    }
    const m = state.modelOf(v);
    const ctx: PointContext = { state, tally, m, v, role, attrs, nowMs, temporality, scope: (scope ??= state.streams.scope(resource, metric.name)),
      metric: metric.name,
      startNs: point.startTimeUnixNano,
      timeNs: point.timeUnixNano,
    };
    const problem = data.type === 'sum' ? applySum(ctx, (point as { value: number }).value) : data.type === 'exponentialHistogram' ? applyExpHistogram(ctx, point as never) : applyDuration(ctx, point as never);
    if (problem === undefined) tally.accepted++;
    else tally.reject(problem[0], problem[1]);
  }
}

interface PointContext {
  readonly state: AggregatorState;
  readonly tally: Tally;
  readonly m: ModelState;
  readonly v: VersionState;
  readonly role: Role;
  readonly attrs: Attributes;
  readonly nowMs: number;
  readonly temporality: number;
  /** With `attrs`, the point's stream (a {@link StreamKey}). */
  readonly scope: StreamScope;
  readonly metric: string;
  readonly startNs: bigint;
  readonly timeNs: bigint;
}

type Problem = [RejectReason, string] | undefined;

function nameAttr(ctx: PointContext, key: string): string | Problem {
  const name = stringAttr(ctx.attrs, key);
  if (name === undefined) return ['invalid', `${ctx.metric} point without ${key}`];
  if (name.length > MAX_NAME_LENGTH) return ['invalid', `${key} longer than ${MAX_NAME_LENGTH} characters`];
  return name;
}

function admitted(ctx: PointContext, kind: 'feature' | 'output' | 'kpi' | 'errorType' | 'class', name: string): Problem {
  return ctx.state.admitName(ctx.m, kind, name) ? undefined : ['cardinality', `too many ${kind} names for model ${JSON.stringify(ctx.m.name)}`];
}

function acceptedVerdict(verdict: StreamVerdict): Problem {
  return verdict === 'full' ? ['cardinality', 'too many cumulative streams (limits.maxStreams)'] : undefined;
}

function applySum(ctx: PointContext, value: number): Problem {
  const isKpi = ctx.metric === 'ml.model.kpi';
  const isDouble = isKpi || ctx.metric === 'ml.model.feedback.squared_error';
  if (!Number.isFinite(value) || (!isKpi && value < 0) || (!isDouble && !Number.isInteger(value))) {
    return ['invalid', `${ctx.metric} value ${value} is not a ${isDouble ? 'finite number' : 'non-negative integer count'}`];
  }
  // resolve and admit the names first, so a rejected point leaves no stream behind
  let name: string | Problem;
  let second: string | Problem = '';
  const { state, v, m, nowMs } = ctx;
  switch (ctx.metric) {
    case 'ml.model.errors':
      name = stringAttr(ctx.attrs, ATTR.errorType) ?? '_OTHER';
      if (name.length > MAX_NAME_LENGTH) return ['invalid', `${ATTR.errorType} longer than ${MAX_NAME_LENGTH} characters`];
      if (!state.admitName(m, 'errorType', name)) name = '_OTHER';
      break;
    case 'ml.model.feature.missing':
    case 'ml.model.feature.category':
      name = nameAttr(ctx, ATTR.featureName);
      if (typeof name !== 'string') return name;
      if (ctx.metric === 'ml.model.feature.category') {
        second = stringAttr(ctx.attrs, ATTR.category);
        if (second === undefined) return ['invalid', `${ctx.metric} point without ${ATTR.category}`];
      }
      {
        const p = admitted(ctx, 'feature', name);
        if (p) return p;
      }
      break;
    case 'ml.model.output.class': {
      name = stringAttr(ctx.attrs, ATTR.outputClass);
      if (name === undefined) return ['invalid', `${ctx.metric} point without ${ATTR.outputClass}`];
      const p = admitted(ctx, 'output', CLASS_OUTPUT);
      if (p) return p;
      break;
    }
    case 'ml.model.feedback.confusion': {
      name = nameAttr(ctx, ATTR.labelActual);
      second = nameAttr(ctx, ATTR.labelPredicted);
      if (typeof name !== 'string') return name;
      if (typeof second !== 'string') return second;
      const p = admitted(ctx, 'class', name) ?? admitted(ctx, 'class', second);
      if (p) return p;
      break;
    }
    case 'ml.model.shadow.comparisons':
      name = stringAttr(ctx.attrs, ATTR.shadowOutcome);
      if (name !== 'agree' && name !== 'disagree') return ['invalid', `${ctx.metric} point needs ${ATTR.shadowOutcome} agree or disagree`];
      break;
    case 'ml.model.kpi':
    case 'ml.model.kpi.events': {
      name = nameAttr(ctx, ATTR.kpiName);
      if (typeof name !== 'string') return name;
      const p = admitted(ctx, 'kpi', name);
      if (p) return p;
      break;
    }
    default:
      name = '';
  }
  const { verdict, delta } = state.streams.sum(ctx, ctx.startNs, ctx.timeNs, value, ctx.temporality, nowMs, isKpi);
  const rejected = acceptedVerdict(verdict);
  if (rejected) return rejected;
  if (delta === 0) return undefined;
  switch (ctx.metric) {
    case 'ml.model.calls':
      state.roleTotals(v, ctx.role).calls += delta;
      break;
    case 'ml.model.predictions':
      state.roleTotals(v, ctx.role).predictions += delta;
      state.slice(state.versionSeries(v, 'predictions'), nowMs).add(delta, delta);
      v.lastSeenMs = nowMs;
      break;
    case 'ml.model.errors': {
      const t = state.roleTotals(v, ctx.role);
      t.errors.set(name as string, (t.errors.get(name as string) ?? 0) + delta);
      break;
    }
    case 'ml.model.feature.missing':
      state.slice(state.featureMissing(v, name as string), nowMs).add(delta, delta);
      break;
    case 'ml.model.feature.category':
      state.slice(state.featureCategorical(v, name as string), nowMs).add(second as string, delta);
      break;
    case 'ml.model.output.class':
      state.slice(state.versionSeries(v, 'outputClasses'), nowMs).add(name as string, delta);
      break;
    case 'ml.model.feedback.labels':
      state.slice(state.versionSeries(v, 'labels'), nowMs).add(delta, delta);
      break;
    case 'ml.model.feedback.confusion':
      state.slice(state.versionSeries(v, 'confusion'), nowMs).add(`${name as string}${CONFUSION_SEPARATOR}${second as string}`, delta);
      break;
    case 'ml.model.feedback.squared_error':
      state.slice(state.versionSeries(v, 'squaredError'), nowMs).add(0, delta);
      break;
    case 'ml.model.kpi':
      state.slice(state.kpi(m, name as string, 'sum'), nowMs).add(0, delta);
      break;
    case 'ml.model.kpi.events':
      state.slice(state.kpi(m, name as string, 'events'), nowMs).add(delta, delta);
      break;
    case 'ml.model.shadow.comparisons':
      state.roleTotals(v, ctx.role).comparisons[name as 'agree' | 'disagree'] += delta;
      break;
    default:
      // ml.model.feedback.unmatched / evictions: part of the contract, not exposed by the aggregator
      break;
  }
  return undefined;
}

function applyExpHistogram(ctx: PointContext, point: Parameters<typeof expHistogramView>[0]): Problem {
  const view = expHistogramView(point);
  if (typeof view === 'string') return ['invalid', `${ctx.metric}: ${view}`];
  const { state, v, nowMs } = ctx;
  let target: (() => DeltaTarget) | undefined;
  switch (ctx.metric) {
    case 'ml.model.feature.value': {
      const name = nameAttr(ctx, ATTR.featureName);
      if (typeof name !== 'string') return name;
      const p = admitted(ctx, 'feature', name);
      if (p) return p;
      target = () => state.slice(state.featureNumeric(v, name), nowMs);
      break;
    }
    case 'ml.model.output.value': {
      const name = nameAttr(ctx, ATTR.outputName);
      if (typeof name !== 'string') return name;
      const p = admitted(ctx, 'output', name);
      if (p) return p;
      target = () => state.slice(state.output(v, name), nowMs);
      break;
    }
    case 'ml.model.feedback.score': {
      const name = nameAttr(ctx, ATTR.labelActual);
      if (typeof name !== 'string') return name;
      const p = admitted(ctx, 'class', name);
      if (p) return p;
      target = () => state.slice(state.score(v, name), nowMs);
      break;
    }
    case 'ml.model.feedback.absolute_error':
      target = () => {
        const acc = state.slice(state.versionSeries(v, 'absoluteError'), nowMs);
        return { merge: (h) => acc.add(h.count, h.sum) };
      };
      break;
    case 'ml.model.kpi.value': {
      // part of the contract; KPI means come from ml.model.kpi / ml.model.kpi.events
      const name = nameAttr(ctx, ATTR.kpiName);
      if (typeof name !== 'string') return name;
      return admitted(ctx, 'kpi', name);
    }
    case 'ml.model.shadow.difference':
      // part of the contract; the rollout's agreement check reads ml.model.shadow.comparisons
      return undefined;
    default:
      return ['unsupported_type', `${ctx.metric} is not an exponential histogram metric`];
  }
  return acceptedVerdict(state.streams.expHistogramInto(ctx, ctx.startNs, ctx.timeNs, view, ctx.temporality, nowMs, target));
}

function applyDuration(ctx: PointContext, point: Parameters<typeof explicitHistogramOf>[0]): Problem {
  const h = explicitHistogramOf(point);
  if (typeof h === 'string') return ['invalid', `${ctx.metric}: ${h}`];
  const { verdict, delta } = ctx.state.streams.explicitHistogram(ctx, ctx.startNs, ctx.timeNs, h, ctx.temporality, ctx.nowMs);
  const rejected = acceptedVerdict(verdict);
  if (rejected) return rejected;
  if (delta && delta.count > 0) ctx.state.addDuration(ctx.v, ctx.role, delta);
  return undefined;
}
