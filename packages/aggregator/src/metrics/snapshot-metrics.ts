import { Counter, Gauge, Histogram, type MetricObjectWithValues, type MetricValue, type MetricValueWithName } from 'prom-client';

/** One exposed sample: its labels and value. */
export interface Sample<L extends string> {
  readonly labels: Readonly<Record<L, string>>;
  readonly value: number;
}

/**
 * A prom-client Gauge whose samples are produced on each scrape from the aggregator's state or its latest
 * evaluation, instead of being `set()` one by one (tens of thousands of label sets per evaluation would cost
 * more than the evaluation itself). Series that disappear from the source disappear from /metrics.
 * prom-client still does the exposition (name, HELP, TYPE, label escaping).
 */
export class SnapshotGauge<L extends string> extends Gauge<L> {
  constructor(
    private readonly config: { name: string; help: string; labelNames: readonly L[] },
    private readonly source: () => Iterable<Sample<L>>,
  ) {
    super({ name: config.name, help: config.help, labelNames: config.labelNames, registers: [] });
  }

  override async get(): Promise<MetricObjectWithValues<MetricValue<L>>> {
    return { name: this.config.name, help: this.config.help, type: 'gauge', aggregator: 'sum', values: [...this.source()] } as unknown as MetricObjectWithValues<MetricValue<L>>;
  }
}

/** A prom-client Counter read from the state's running totals on each scrape (see {@link SnapshotGauge}). */
export class SnapshotCounter<L extends string> extends Counter<L> {
  constructor(
    private readonly config: { name: string; help: string; labelNames: readonly L[] },
    private readonly source: () => Iterable<Sample<L>>,
  ) {
    super({ name: config.name, help: config.help, labelNames: config.labelNames, registers: [] });
  }

  override async get(): Promise<MetricObjectWithValues<MetricValue<L>>> {
    return { name: this.config.name, help: this.config.help, type: 'counter', aggregator: 'sum', values: [...this.source()] } as unknown as MetricObjectWithValues<MetricValue<L>>;
  }
}

/** Cumulative explicit buckets of one label set. `counts[i]` is the count in (bounds[i−1], bounds[i]]; the last is above every bound. */
export interface HistogramSample<L extends string> {
  readonly labels: Readonly<Record<L, string>>;
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
  readonly count: number;
  readonly sum: number;
}

/**
 * A prom-client Histogram re-exposing explicit buckets received over OTLP (their own bounds, per label set),
 * produced on each scrape. Emits `_bucket{le}` cumulatively, `_sum` and `_count`.
 */
export class SnapshotHistogram<L extends string> extends Histogram<L> {
  constructor(
    private readonly config: { name: string; help: string; labelNames: readonly L[] },
    private readonly source: () => Iterable<HistogramSample<L>>,
  ) {
    super({ name: config.name, help: config.help, labelNames: config.labelNames, buckets: [1], registers: [] });
  }

  private values(): Array<{ labels: Record<string, string | number>; sharedLabels: Record<string, string>; value: number; metricName: string }> {
    const out: Array<{ labels: Record<string, string | number>; sharedLabels: Record<string, string>; value: number; metricName: string }> = [];
    for (const s of this.source()) {
      let cumulative = 0;
      s.bounds.forEach((bound, i) => {
        cumulative += s.counts[i] ?? 0;
        out.push({ labels: { le: bound }, sharedLabels: s.labels, value: cumulative, metricName: `${this.config.name}_bucket` });
      });
      out.push({ labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: `${this.config.name}_bucket` });
      out.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.config.name}_sum` });
      out.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.config.name}_count` });
    }
    return out;
  }

  /** Used by the registry's text exposition. */
  async getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<L>>> {
    return { name: this.config.name, help: this.config.help, type: 'histogram', aggregator: 'sum', values: this.values() } as unknown as MetricObjectWithValues<MetricValueWithName<L>>;
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<L>>> {
    const values = this.values().map(({ labels, sharedLabels, value, metricName }) => ({ labels: { ...sharedLabels, ...labels }, value, metricName }));
    return { name: this.config.name, help: this.config.help, type: 'histogram', aggregator: 'sum', values } as unknown as MetricObjectWithValues<MetricValueWithName<L>>;
  }
}
