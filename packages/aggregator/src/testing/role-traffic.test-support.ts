import type { ExportMetricsServiceRequest, HistogramDataPoint, Metric } from '@driftwatch/otlp';
import { ExponentialHistogram } from '@driftwatch/stats';
import { CUMULATIVE, attrs, expHistogram, expPoint, numberPoint, request, sum } from './otlp-builders.test-support.js';

/** The SDK's `ml.model.duration` bounds (docs/semantic-conventions.md). */
export const SDK_LATENCY_BOUNDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface CallShape {
  /** Share of calls that throw (deterministic: every round(1/rate)-th call). */
  readonly errorRate?: number;
  /** Latency of call i, seconds. */
  readonly latency?: (i: number) => number;
  /** Score output of call i (successful calls only). */
  readonly score?: (i: number) => number;
}

/**
 * One side of a rollout as a model server exports it: a model version in one deployment role, with cumulative
 * `ml.model.calls`, `ml.model.predictions`, `ml.model.errors`, `ml.model.duration` (the SDK's explicit bounds) and
 * a `score` output histogram. `export(timeNs)` is one cumulative OTLP export of everything recorded so far.
 */
export class RoleTraffic {
  private calls = 0;
  private predictions = 0;
  private errors = 0;
  private readonly buckets = new Array<number>(SDK_LATENCY_BOUNDS.length + 1).fill(0);
  private latencySum = 0;
  private readonly scores = new ExponentialHistogram();
  private seq = 0;
  private readonly confusion = new Map<string, number>();
  private labels = 0;
  private readonly comparisons = { agree: 0, disagree: 0 };

  constructor(
    readonly model: string,
    readonly version: string,
    readonly role: 'primary' | 'canary' | 'shadow',
    readonly instanceId = `${model}-${version}-${role}`,
    private readonly startNs = 1_000_000_000n,
  ) {}

  /** Records `n` calls shaped by `shape`. */
  record(n: number, shape: CallShape = {}): void {
    const every = shape.errorRate ? Math.max(1, Math.round(1 / shape.errorRate)) : 0;
    for (let k = 0; k < n; k++) {
      const i = this.seq++;
      this.calls++;
      const seconds = shape.latency?.(i) ?? 0.02 + (i % 10) * 0.002;
      let b = SDK_LATENCY_BOUNDS.findIndex((bound) => seconds <= bound);
      if (b === -1) b = SDK_LATENCY_BOUNDS.length;
      this.buckets[b] = (this.buckets[b] as number) + 1;
      this.latencySum += seconds;
      if (every > 0 && i % every === 0) {
        this.errors++;
        continue;
      }
      this.predictions++;
      this.scores.record(shape.score?.(i) ?? 0.2 + ((i * 7919) % 600) / 1000);
    }
  }

  /** Joins `n` labels of a binary classifier, `accuracy` of them right (deterministic). */
  feedback(n: number, accuracy: number): void {
    for (let k = 0; k < n; k++) {
      const actual = k % 2 === 0 ? '1' : '0';
      const right = (k * 7919) % 1000 < accuracy * 1000;
      const key = `${actual}|${right ? actual : actual === '1' ? '0' : '1'}`;
      this.confusion.set(key, (this.confusion.get(key) ?? 0) + 1);
    }
    this.labels += n;
  }

  /** Joins the labels of a binary classifier's confusion matrix (actual/predicted `1` and `0`). */
  feedbackCells(cells: { readonly tp: number; readonly fp: number; readonly fn: number; readonly tn: number }): void {
    for (const [key, n] of [['1|1', cells.tp], ['0|1', cells.fp], ['1|0', cells.fn], ['0|0', cells.tn]] as const) this.confusion.set(key, (this.confusion.get(key) ?? 0) + n);
    this.labels += cells.tp + cells.fp + cells.fn + cells.tn;
  }

  /** Records `n` shadow comparisons with the primary, `agreeRate` of them agreeing (deterministic). */
  compare(n: number, agreeRate: number): void {
    const agree = Math.round(n * agreeRate);
    this.comparisons.agree += agree;
    this.comparisons.disagree += n - agree;
  }

  export(timeNs: bigint): ExportMetricsServiceRequest {
    const a = { 'ml.model.name': this.model, 'ml.model.version': this.version, 'ml.deployment.role': this.role };
    const t = { start: this.startNs, time: timeNs };
    const duration: HistogramDataPoint = {
      attributes: attrs(a),
      startTimeUnixNano: this.startNs,
      timeUnixNano: timeNs,
      count: this.calls,
      sum: this.latencySum,
      bucketCounts: [...this.buckets],
      explicitBounds: [...SDK_LATENCY_BOUNDS],
      flags: 0,
    };
    const metrics: Metric[] = [
      sum('ml.model.calls', [numberPoint(a, this.calls, t)]),
      sum('ml.model.predictions', [numberPoint(a, this.predictions, t)]),
      { name: 'ml.model.duration', description: '', unit: 's', data: { type: 'histogram', points: [duration], temporality: CUMULATIVE } },
    ];
    if (this.errors > 0) metrics.push(sum('ml.model.errors', [numberPoint({ ...a, 'error.type': 'ValueError' }, this.errors, t)]));
    if (this.scores.count > 0) metrics.push(expHistogram('ml.model.output.value', [expPoint({ ...a, 'ml.output.name': 'score' }, this.scores, t)]));
    if (this.comparisons.agree + this.comparisons.disagree > 0) {
      metrics.push(
        sum('ml.model.shadow.comparisons', [
          numberPoint({ ...a, 'ml.shadow.outcome': 'agree' }, this.comparisons.agree, t),
          numberPoint({ ...a, 'ml.shadow.outcome': 'disagree' }, this.comparisons.disagree, t),
        ]),
      );
    }
    if (this.labels > 0) {
      metrics.push(sum('ml.model.feedback.labels', [numberPoint(a, this.labels, t)]));
      const cells = [...this.confusion].map(([key, n]) => {
        const [actual = '', predicted = ''] = key.split('|');
        return numberPoint({ ...a, 'ml.label.actual': actual, 'ml.label.predicted': predicted }, n, t);
      });
      metrics.push(sum('ml.model.feedback.confusion', cells));
    }
    return request({ 'service.name': `${this.model}-server`, 'service.instance.id': this.instanceId }, metrics);
  }
}
