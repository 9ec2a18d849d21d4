import type { FeatureProfile, FeatureSketch, PreparedSketch, ReferenceProfile } from '@driftwatch/stats';
import { prepareHistogramData, prepareSketch, profileToSketch } from '@driftwatch/stats';
import { modelConfigOf, type AggregatorConfig, type ModelConfig } from '../config/aggregator-config.js';
import type { Role } from '../ingest/conventions.js';
import { StreamStore, type ExplicitHistogram } from '../ingest/stream-store.js';
import type { CategoryAccumulator } from '../sketch/category-accumulator.js';
import { CategoryDictionary } from '../sketch/category-dictionary.js';
import type { HistogramAccumulator } from '../sketch/histogram-accumulator.js';
import type { MomentsAccumulator } from '../sketch/moments-accumulator.js';
import type { SliceAccumulator } from '../sketch/slice-accumulator.js';
import { windowSetOf, type WindowSet } from '../windows/window-set.js';
import { WindowedSeries } from '../windows/windowed-series.js';
import { CONFUSION_SEPARATOR, HISTOGRAM_KIND, MOMENTS_KIND, PAYLOAD_OF, categoryKind, type SeriesKind } from './series-kinds.js';

/** Identity of a windowed series (a row of the `series` table). */
export interface SeriesMeta {
  readonly id: number;
  readonly kind: SeriesKind;
  readonly model: string;
  /** `''` for model-level series (KPIs). */
  readonly version: string;
  /** Feature, output, KPI or label name; `''` when the kind has none. */
  readonly name: string;
}

export interface SeriesHandle<A extends SliceAccumulator> {
  readonly meta: SeriesMeta;
  readonly series: WindowedSeries<A>;
  readonly dictionary: CategoryDictionary | undefined;
  /** Dictionary keys already persisted. */
  dictionarySaved: number;
  /** The `series` row exists in the database. */
  rowSaved: boolean;
}

export interface FeatureSeries {
  numeric?: SeriesHandle<HistogramAccumulator>;
  categorical?: SeriesHandle<CategoryAccumulator>;
  missing?: SeriesHandle<MomentsAccumulator>;
}

/** Counters of one deployment role (never windowed: exposed as Prometheus counters). */
export interface RoleTotals {
  predictions: number;
  calls: number;
  readonly errors: Map<string, number>;
  duration: { bounds: number[]; counts: number[]; count: number; sum: number } | undefined;
  slowCalls: number;
  /** Shadow comparisons with the primary (`ml.model.shadow.comparisons` by `ml.shadow.outcome`; shadow role only). */
  comparisons: { agree: number; disagree: number };
}

/** A version's reference profile, indexed for lookups (Maps, so feature names like `__proto__` are plain data). */
export interface ReferenceEntry {
  readonly profile: ReferenceProfile;
  readonly features: ReadonlyMap<string, FeatureProfile>;
  readonly outputs: ReadonlyMap<string, FeatureProfile>;
  readonly sketches: Map<string, FeatureSketch>;
  /** Prepared sketches (`prepareSketch`) by key, then by scale (`Infinity`: the sketch's own), see {@link preparedReference}. */
  readonly prepared: Map<string, Map<number, PreparedSketch>>;
}

export interface VersionState {
  readonly model: string;
  readonly version: string;
  firstSeenMs: number;
  /** Time of the last prediction received (0 = none yet). */
  lastSeenMs: number;
  readonly features: Map<string, FeatureSeries>;
  readonly outputs: Map<string, SeriesHandle<HistogramAccumulator>>;
  outputClasses: SeriesHandle<CategoryAccumulator> | undefined;
  predictions: SeriesHandle<MomentsAccumulator> | undefined;
  labels: SeriesHandle<MomentsAccumulator> | undefined;
  confusion: SeriesHandle<CategoryAccumulator> | undefined;
  readonly scores: Map<string, SeriesHandle<HistogramAccumulator>>;
  absoluteError: SeriesHandle<MomentsAccumulator> | undefined;
  squaredError: SeriesHandle<MomentsAccumulator> | undefined;
  readonly roles: Map<Role, RoleTotals>;
  reference: ReferenceEntry | undefined;
}

export interface KpiSeries {
  sum?: SeriesHandle<MomentsAccumulator>;
  events?: SeriesHandle<MomentsAccumulator>;
}

export interface ModelState {
  readonly name: string;
  readonly config: ModelConfig;
  readonly windowSet: WindowSet;
  readonly versions: Map<string, VersionState>;
  /** Distinct names per model, bounded by the limits. */
  readonly featureNames: Set<string>;
  readonly outputNames: Set<string>;
  readonly kpiNames: Set<string>;
  readonly errorTypes: Set<string>;
  readonly classes: Set<string>;
  readonly kpis: Map<string, KpiSeries>;
}

export type CardinalityKind = 'model' | 'version' | 'feature';
export type NameKind = 'feature' | 'output' | 'kpi' | 'errorType' | 'class';

/** Self-metric counters (driftwatch_ingest_*, driftwatch_cardinality_rejected_total). */
export interface SelfCounters {
  /** key `${result}|${reason}` */
  readonly points: Map<string, number>;
  ignored: number;
  readonly cardinalityRejected: Map<CardinalityKind, number>;
  /** key `${signal}|${status}` */
  readonly requests: Map<string, number>;
  queueDepth: number;
  logRecords: number;
}

const CONFUSION_MAX_EXACT_CAP = 100_000;

/**
 * All mutable state of the aggregator, in one place: models → versions → windowed series, per-role counters,
 * references, the cumulative stream store and the self-metric counters; plus the dirty marks the periodic SQLite
 * flush reads. Ingest, evaluation, the API and persistence all go through it; nothing else holds state.
 */
export class AggregatorState {
  readonly models = new Map<string, ModelState>();
  readonly streams: StreamStore;
  readonly counters: SelfCounters = { points: new Map(), ignored: 0, cardinalityRejected: new Map(), requests: new Map(), queueDepth: 0, logRecords: 0 };
  readonly dirtySeries = new Set<SeriesHandle<SliceAccumulator>>();
  readonly dirtyVersions = new Set<VersionState>();
  /** Series dropped since the last flush (their rows are deleted). */
  readonly droppedSeries: number[] = [];
  /** Versions dropped since the last flush. */
  readonly droppedVersions: Array<readonly [string, string]> = [];
  private nextSeriesId = 1;

  constructor(readonly config: AggregatorConfig) {
    this.streams = new StreamStore(config.limits.maxStreams, config.streamIdleTtlMs);
  }

  // ---- self-metric counters -------------------------------------------------------------------------

  countPoints(result: 'accepted' | 'rejected', reason: string, n = 1): void {
    if (n <= 0) return;
    const key = `${result}|${reason}`;
    this.counters.points.set(key, (this.counters.points.get(key) ?? 0) + n);
  }

  countRequest(signal: string, status: number): void {
    const key = `${signal}|${status}`;
    this.counters.requests.set(key, (this.counters.requests.get(key) ?? 0) + 1);
  }

  private rejectCardinality(kind: CardinalityKind): CardinalityKind {
    this.counters.cardinalityRejected.set(kind, (this.counters.cardinalityRejected.get(kind) ?? 0) + 1);
    return kind;
  }

  // ---- models and versions --------------------------------------------------------------------------

  /** The model's state, created within `limits.maxModels`; a string names the exceeded limit. */
  admitModel(model: string): ModelState | CardinalityKind {
    let m = this.models.get(model);
    if (m) return m;
    if (this.models.size >= this.config.limits.maxModels) return this.rejectCardinality('model');
    const config = modelConfigOf(this.config, model);
    m = {
      name: model,
      config,
      windowSet: windowSetOf(config.windows),
      versions: new Map(),
      featureNames: new Set(),
      outputNames: new Set(),
      kpiNames: new Set(),
      errorTypes: new Set(),
      classes: new Set(),
      kpis: new Map(),
    };
    this.models.set(model, m);
    return m;
  }

  /** The version's state, created within `limits.maxModels` / `maxVersionsPerModel`. */
  admitVersion(model: string, version: string, nowMs: number): VersionState | CardinalityKind {
    const m = this.admitModel(model);
    if (typeof m === 'string') return m;
    let v = m.versions.get(version);
    if (v) return v;
    if (m.versions.size >= this.config.limits.maxVersionsPerModel) return this.rejectCardinality('version');
    v = {
      model,
      version,
      firstSeenMs: nowMs,
      lastSeenMs: 0,
      features: new Map(),
      outputs: new Map(),
      outputClasses: undefined,
      predictions: undefined,
      labels: undefined,
      confusion: undefined,
      scores: new Map(),
      absoluteError: undefined,
      squaredError: undefined,
      roles: new Map(),
      reference: undefined,
    };
    m.versions.set(version, v);
    this.dirtyVersions.add(v);
    return v;
  }

  /** Admits a per-model name (feature, output, KPI, error type, class) within its limit. */
  admitName(model: ModelState, kind: NameKind, name: string): boolean {
    const limits = this.config.limits;
    const [set, max] =
      kind === 'feature'
        ? [model.featureNames, limits.maxFeaturesPerModel]
        : kind === 'output'
          ? [model.outputNames, limits.maxOutputsPerModel]
          : kind === 'kpi'
            ? [model.kpiNames, limits.maxKpisPerModel]
            : kind === 'errorType'
              ? [model.errorTypes, limits.maxErrorTypesPerModel]
              : [model.classes, limits.maxClassesPerModel];
    if (set.has(name)) return true;
    if (set.size >= max) {
      if (kind === 'feature') this.rejectCardinality('feature');
      return false;
    }
    set.add(name);
    return true;
  }

  modelOf(v: VersionState): ModelState {
    const m = this.models.get(v.model);
    if (!m) throw new Error(`internal: model ${v.model} missing`);
    return m;
  }

  roleTotals(v: VersionState, role: Role): RoleTotals {
    let t = v.roles.get(role);
    if (!t) {
      t = { predictions: 0, calls: 0, errors: new Map(), duration: undefined, slowCalls: 0, comparisons: { agree: 0, disagree: 0 } };
      v.roles.set(role, t);
    }
    this.dirtyVersions.add(v);
    return t;
  }

  // ---- series ---------------------------------------------------------------------------------------

  /** Creates a windowed series (id from persistence when restoring). */
  createSeries<A extends SliceAccumulator>(kind: SeriesKind, model: ModelState, version: string, name: string, id?: number, dictionaryKeys?: readonly string[]): SeriesHandle<A> {
    const seriesId = id ?? this.nextSeriesId++;
    if (seriesId >= this.nextSeriesId) this.nextSeriesId = seriesId + 1;
    const meta: SeriesMeta = { id: seriesId, kind, model: model.name, version, name };
    const payload = PAYLOAD_OF[kind];
    let dictionary: CategoryDictionary | undefined;
    let series: WindowedSeries<SliceAccumulator>;
    if (payload === 'categories') {
      const maxExact = kind === 'feedback.confusion' ? Math.min(CONFUSION_MAX_EXACT_CAP, this.config.limits.maxClassesPerModel ** 2) : undefined;
      dictionary = dictionaryKeys ? CategoryDictionary.fromKeys(dictionaryKeys, maxExact) : new CategoryDictionary(maxExact);
      series = new WindowedSeries(model.windowSet, categoryKind(dictionary));
    } else if (payload === 'histogram') series = new WindowedSeries(model.windowSet, HISTOGRAM_KIND);
    else series = new WindowedSeries(model.windowSet, MOMENTS_KIND);
    return { meta, series: series as unknown as WindowedSeries<A>, dictionary, dictionarySaved: dictionaryKeys?.length ?? 0, rowSaved: id !== undefined };
  }

  /** The accumulator new data at `nowMs` goes into, marking the series dirty. */
  slice<A extends SliceAccumulator>(handle: SeriesHandle<A>, nowMs: number): A {
    this.dirtySeries.add(handle as unknown as SeriesHandle<SliceAccumulator>);
    return handle.series.current(nowMs);
  }

  feature(v: VersionState, name: string): FeatureSeries {
    let f = v.features.get(name);
    if (!f) {
      f = {};
      v.features.set(name, f);
    }
    return f;
  }

  featureNumeric(v: VersionState, name: string): SeriesHandle<HistogramAccumulator> {
    const f = this.feature(v, name);
    f.numeric ??= this.createSeries('feature.value', this.modelOf(v), v.version, name);
    return f.numeric;
  }

  featureCategorical(v: VersionState, name: string): SeriesHandle<CategoryAccumulator> {
    const f = this.feature(v, name);
    f.categorical ??= this.createSeries('feature.category', this.modelOf(v), v.version, name);
    return f.categorical;
  }

  featureMissing(v: VersionState, name: string): SeriesHandle<MomentsAccumulator> {
    const f = this.feature(v, name);
    f.missing ??= this.createSeries('feature.missing', this.modelOf(v), v.version, name);
    return f.missing;
  }

  output(v: VersionState, name: string): SeriesHandle<HistogramAccumulator> {
    let h = v.outputs.get(name);
    if (!h) {
      h = this.createSeries('output.value', this.modelOf(v), v.version, name);
      v.outputs.set(name, h);
    }
    return h;
  }

  score(v: VersionState, actual: string): SeriesHandle<HistogramAccumulator> {
    let h = v.scores.get(actual);
    if (!h) {
      h = this.createSeries('feedback.score', this.modelOf(v), v.version, actual);
      v.scores.set(actual, h);
    }
    return h;
  }

  versionSeries<K extends 'outputClasses' | 'confusion'>(v: VersionState, field: K): SeriesHandle<CategoryAccumulator>;
  versionSeries<K extends 'predictions' | 'labels' | 'absoluteError' | 'squaredError'>(v: VersionState, field: K): SeriesHandle<MomentsAccumulator>;
  versionSeries(v: VersionState, field: 'outputClasses' | 'confusion' | 'predictions' | 'labels' | 'absoluteError' | 'squaredError'): SeriesHandle<SliceAccumulator> {
    const kinds = {
      outputClasses: 'output.class',
      confusion: 'feedback.confusion',
      predictions: 'predictions',
      labels: 'feedback.labels',
      absoluteError: 'feedback.absolute_error',
      squaredError: 'feedback.squared_error',
    } as const;
    const existing = v[field] as SeriesHandle<SliceAccumulator> | undefined;
    if (existing) return existing;
    const h = this.createSeries(kinds[field], this.modelOf(v), v.version, '');
    (v as unknown as Record<string, unknown>)[field] = h;
    return h;
  }

  kpi(model: ModelState, name: string, which: 'sum' | 'events'): SeriesHandle<MomentsAccumulator> {
    let k = model.kpis.get(name);
    if (!k) {
      k = {};
      model.kpis.set(name, k);
    }
    k[which] ??= this.createSeries(which === 'sum' ? 'kpi.sum' : 'kpi.events', model, '', name);
    return k[which];
  }

  /**
   * Re-creates a persisted series under its id and attaches it where ingest would have created it.
   * Returns undefined when its model or version is no longer admitted (limits lowered since).
   */
  restoreSeries(kind: SeriesKind, model: string, version: string, name: string, id: number, dictionaryKeys: readonly string[] | undefined, nowMs: number): SeriesHandle<SliceAccumulator> | undefined {
    const m = this.admitModel(model);
    if (typeof m === 'string') return undefined;
    if (kind === 'kpi.sum' || kind === 'kpi.events') {
      m.kpiNames.add(name);
      const k = m.kpis.get(name) ?? {};
      m.kpis.set(name, k);
      const h = this.createSeries<MomentsAccumulator>(kind, m, '', name, id);
      k[kind === 'kpi.sum' ? 'sum' : 'events'] = h;
      return h as unknown as SeriesHandle<SliceAccumulator>;
    }
    const v = this.admitVersion(model, version, nowMs);
    if (typeof v === 'string') return undefined;
    const h = this.createSeries<SliceAccumulator>(kind, m, version, name, id, dictionaryKeys);
    const any = h as never;
    switch (kind) {
      case 'feature.value':
        m.featureNames.add(name);
        this.feature(v, name).numeric = any;
        break;
      case 'feature.category':
        m.featureNames.add(name);
        this.feature(v, name).categorical = any;
        break;
      case 'feature.missing':
        m.featureNames.add(name);
        this.feature(v, name).missing = any;
        break;
      case 'output.value':
        m.outputNames.add(name);
        v.outputs.set(name, any);
        break;
      case 'feedback.score':
        m.classes.add(name);
        v.scores.set(name, any);
        break;
      case 'output.class':
        v.outputClasses = any;
        break;
      case 'predictions':
        v.predictions = any;
        break;
      case 'feedback.labels':
        v.labels = any;
        break;
      case 'feedback.confusion':
        v.confusion = any;
        for (const key of dictionaryKeys ?? []) for (const label of key.split(CONFUSION_SEPARATOR)) if (m.classes.size < this.config.limits.maxClassesPerModel) m.classes.add(label);
        break;
      case 'feedback.absolute_error':
        v.absoluteError = any;
        break;
      case 'feedback.squared_error':
        v.squaredError = any;
        break;
    }
    return h;
  }

  /** Every series handle (for restore checks, memory accounting and garbage collection). */
  *allSeries(): Generator<SeriesHandle<SliceAccumulator>> {
    for (const m of this.models.values()) {
      for (const k of m.kpis.values()) {
        if (k.sum) yield k.sum as unknown as SeriesHandle<SliceAccumulator>;
        if (k.events) yield k.events as unknown as SeriesHandle<SliceAccumulator>;
      }
      for (const v of m.versions.values()) yield* versionSeriesHandles(v);
    }
  }

  // ---- references -----------------------------------------------------------------------------------

  /** Sets a (validated) reference profile on a version (creating the version within the limits). */
  setReference(profile: ReferenceProfile, nowMs: number): VersionState | CardinalityKind {
    const v = this.admitVersion(profile.model, profile.version, nowMs);
    if (typeof v === 'string') return v;
    v.reference = indexReference(profile);
    return v;
  }

  // ---- garbage collection ---------------------------------------------------------------------------

  /**
   * Drops series with nothing left in any window, versions with no series, no counters and no reference, and
   * models with no versions; forgets idle cumulative streams. Returns the number of series dropped.
   */
  collectGarbage(nowMs: number): number {
    let dropped = 0;
    const drop = (h: SeriesHandle<SliceAccumulator> | undefined): boolean => {
      if (!h || !h.series.isEmpty(nowMs)) return false;
      this.droppedSeries.push(h.meta.id);
      this.dirtySeries.delete(h);
      dropped++;
      return true;
    };
    for (const [modelName, m] of this.models) {
      for (const [name, k] of m.kpis) {
        if (drop(k.sum as SeriesHandle<SliceAccumulator> | undefined)) delete k.sum;
        if (drop(k.events as SeriesHandle<SliceAccumulator> | undefined)) delete k.events;
        if (!k.sum && !k.events) {
          m.kpis.delete(name);
          m.kpiNames.delete(name);
        }
      }
      for (const [version, v] of m.versions) {
        for (const [name, f] of v.features) {
          if (drop(f.numeric as SeriesHandle<SliceAccumulator> | undefined)) delete f.numeric;
          if (drop(f.categorical as SeriesHandle<SliceAccumulator> | undefined)) delete f.categorical;
          if (drop(f.missing as SeriesHandle<SliceAccumulator> | undefined)) delete f.missing;
          if (!f.numeric && !f.categorical && !f.missing) v.features.delete(name);
        }
        for (const map of [v.outputs, v.scores]) {
          for (const [name, h] of map) if (drop(h as unknown as SeriesHandle<SliceAccumulator>)) map.delete(name);
        }
        for (const field of ['outputClasses', 'predictions', 'labels', 'confusion', 'absoluteError', 'squaredError'] as const) {
          if (drop(v[field] as SeriesHandle<SliceAccumulator> | undefined)) v[field] = undefined;
        }
        const live = [...versionSeriesHandles(v)].length > 0;
        const recent = nowMs - Math.max(v.lastSeenMs, v.firstSeenMs) < longestWindowMs(m);
        if (!live && !v.reference && !recent) {
          m.versions.delete(version);
          this.dirtyVersions.delete(v);
          this.droppedVersions.push([m.name, version]);
        }
      }
      if (m.versions.size === 0 && m.kpis.size === 0) this.models.delete(modelName);
      else {
        const names = new Set<string>();
        for (const v of m.versions.values()) for (const n of v.features.keys()) names.add(n);
        for (const n of m.featureNames) if (!names.has(n)) m.featureNames.delete(n);
      }
    }
    this.streams.sweep(nowMs);
    return dropped;
  }

  /** Records a call-duration delta and the calls slower than the model's `max_latency_seconds`. */
  addDuration(v: VersionState, role: Role, delta: ExplicitHistogram): void {
    const t = this.roleTotals(v, role);
    if (!t.duration || !sameBounds(t.duration.bounds, delta.bounds)) {
      // bounds changed (an SDK upgrade): start the re-exposed histogram over with the new bounds
      t.duration = { bounds: [...delta.bounds], counts: new Array<number>(delta.bounds.length + 1).fill(0), count: 0, sum: 0 };
    }
    const d = t.duration;
    for (let i = 0; i < d.counts.length; i++) d.counts[i] = (d.counts[i] as number) + (delta.counts[i] ?? 0);
    d.count += delta.count;
    d.sum += delta.sum;
    const maxLatency = this.modelOf(v).config.sla.get('max_latency_seconds');
    if (maxLatency !== undefined) t.slowCalls += slowerThan(delta, maxLatency);
  }
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Calls slower than `thresholdSeconds` from explicit buckets (bucket i holds (bounds[i−1], bounds[i]]): whole
 * buckets above the threshold, plus the straddling bucket's share by linear interpolation — exact when the
 * threshold is one of the bounds (the SDK's bounds include 0.1, 0.25, 0.5, 1, …). The last (open) bucket is
 * counted whole when the threshold is below its lower bound, else not at all.
 */
export function slowerThan(h: ExplicitHistogram, thresholdSeconds: number): number {
  let slow = 0;
  for (let i = 0; i < h.counts.length; i++) {
    const c = h.counts[i] as number;
    if (c === 0) continue;
    const lower = i === 0 ? 0 : (h.bounds[i - 1] as number);
    const upper = i < h.bounds.length ? (h.bounds[i] as number) : Infinity;
    if (lower >= thresholdSeconds) slow += c;
    else if (upper > thresholdSeconds && upper !== Infinity) slow += (c * (upper - thresholdSeconds)) / (upper - lower);
  }
  return slow;
}

function longestWindowMs(m: ModelState): number {
  return Math.max(...m.config.windows.map((w) => w.durationMs));
}

function* versionSeriesHandles(v: VersionState): Generator<SeriesHandle<SliceAccumulator>> {
  const all: Array<SeriesHandle<SliceAccumulator> | undefined> = [];
  for (const f of v.features.values()) all.push(f.numeric as never, f.categorical as never, f.missing as never);
  for (const h of v.outputs.values()) all.push(h as never);
  for (const h of v.scores.values()) all.push(h as never);
  all.push(v.outputClasses as never, v.predictions as never, v.labels as never, v.confusion as never, v.absoluteError as never, v.squaredError as never);
  for (const h of all) if (h) yield h;
}

/** Indexes a validated profile and precomputes nothing else (sketches are built on first use). */
export function indexReference(profile: ReferenceProfile): ReferenceEntry {
  const features = new Map<string, FeatureProfile>();
  for (const name of Object.keys(profile.features)) features.set(name, profile.features[name] as FeatureProfile);
  const outputs = new Map<string, FeatureProfile>();
  if (profile.outputs) for (const name of Object.keys(profile.outputs)) outputs.set(name, profile.outputs[name] as FeatureProfile);
  return { profile, features, outputs, sketches: new Map(), prepared: new Map() };
}

/** The reference profile of a live feature name: exact name, or `x` for `x.norm` (embedding) / `x.length` (text). */
export function referenceFeature(ref: ReferenceEntry, wireName: string): FeatureProfile | undefined {
  const direct = ref.features.get(wireName);
  if (direct) return direct;
  if (wireName.endsWith('.norm')) {
    const p = ref.features.get(wireName.slice(0, -5));
    if (p?.type === 'embedding') return p;
  }
  if (wireName.endsWith('.length')) {
    const p = ref.features.get(wireName.slice(0, -7));
    if (p?.type === 'text') return p;
  }
  return undefined;
}

/** The live feature name of a reference feature (`x.norm` for embeddings, `x.length` for text). */
export function wireFeatureName(name: string, profile: FeatureProfile): string {
  if (profile.type === 'embedding') return `${name}.norm`;
  if (profile.type === 'text') return `${name}.length`;
  return name;
}

/** The reference sketch of a feature or output (cached). */
export function referenceSketch(ref: ReferenceEntry, key: string, profile: FeatureProfile): FeatureSketch {
  let s = ref.sketches.get(key);
  if (!s) {
    s = profileToSketch(profile);
    ref.sketches.set(key, s);
  }
  return s;
}

/** Scales kept per reference feature in {@link preparedReference} (windows of one feature rarely use more than two). */
const PREPARED_SCALES_PER_KEY = 4;

/**
 * The reference sketch of a feature or output read once for the drift tests (`prepareSketch`) and cached: as it is,
 * or — for a numeric reference finer than the window's histogram — brought down to the window's `scale` first, which
 * is what every test would otherwise do on each call (`alignScales`). At most {@link PREPARED_SCALES_PER_KEY} scales
 * are kept per key. Cost: O(buckets) on a miss, O(1) on a hit. Memory per entry: its plain data (at that scale), plus
 * the clamped buckets (three Float64Arrays of the bucket count) once a test that needs them has run.
 */
export function preparedReference(ref: ReferenceEntry, key: string, profile: FeatureProfile, scale?: number): PreparedSketch {
  const sketch = referenceSketch(ref, key, profile);
  const at = sketch.kind === 'numeric' && scale !== undefined && scale < sketch.histogram.scale && sketch.histogram.count > sketch.histogram.zeroCount ? scale : Infinity;
  let byScale = ref.prepared.get(key);
  if (!byScale) {
    byScale = new Map();
    ref.prepared.set(key, byScale);
  }
  let p = byScale.get(at);
  if (!p) {
    if (byScale.size >= PREPARED_SCALES_PER_KEY) byScale.delete(byScale.keys().next().value as number);
    p = sketch.kind === 'numeric' ? prepareHistogramData(sketch.histogram.toData(), sketch, 'detectDrift', 'reference', at === Infinity ? undefined : at) : prepareSketch(sketch, 'detectDrift', 'reference');
    byScale.set(at, p);
  }
  return p;
}
