import type { ExportMetricsServiceRequest, Metric } from '@driftwatch/otlp';
import { ExponentialHistogram } from '@driftwatch/stats';
import { CUMULATIVE, DELTA, expHistogram, expPoint, numberPoint, request, sum } from './otlp-builders.test-support.js';

/**
 * A simulated model-server instance, exporting like the SDK does: `record()` predictions into running totals (one
 * numeric feature histogram, one categorical feature, a prediction counter), and `export()` the cumulative state
 * (or, with `temporality: 'delta'`, what was recorded since the last export) as an OTLP request. A `restart()` is a
 * process restart: a new start time, totals from zero.
 */
export class SimulatedInstance {
  private startNs: bigint;
  private lastExportNs: bigint;
  private predictions = 0;
  private values = new ExponentialHistogram();
  private plans = new Map<string, number>();
  /** Everything ever recorded (what the aggregator should have counted once). */
  totalPredictions = 0;
  readonly allValues: number[] = [];

  constructor(
    readonly instanceId: string,
    readonly model: { readonly name: string; readonly version: string },
    private readonly temporality: 'cumulative' | 'delta' = 'cumulative',
    startNs = BigInt(Date.now()) * 1_000_000n,
  ) {
    this.startNs = startNs;
    this.lastExportNs = startNs;
  }

  /** Records `n` predictions with feature values from `value(i)`. */
  record(n: number, value: (i: number) => number, plan: (i: number) => string = (i) => (i % 3 === 0 ? 'pro' : 'free')): void {
    for (let i = 0; i < n; i++) {
      const x = value(i);
      this.values.record(x);
      this.allValues.push(x);
      const p = plan(i);
      this.plans.set(p, (this.plans.get(p) ?? 0) + 1);
    }
    this.predictions += n;
    this.totalPredictions += n;
  }

  /** The process restarted: new start time, totals from zero. */
  restart(startNs: bigint): void {
    this.startNs = startNs;
    this.lastExportNs = startNs;
    this.predictions = 0;
    this.values = new ExponentialHistogram();
    this.plans.clear();
  }

  /** One export at `timeNs` (after the start time). Delta instances reset their totals afterwards. */
  export(timeNs: bigint): ExportMetricsServiceRequest {
    const attrs = { 'ml.model.name': this.model.name, 'ml.model.version': this.model.version };
    const delta = this.temporality === 'delta';
    const t = { start: delta ? this.lastExportNs : this.startNs, time: timeNs };
    const metrics: Metric[] = [
      sum('ml.model.predictions', [numberPoint(attrs, this.predictions, t)], delta ? DELTA : CUMULATIVE),
      expHistogram('ml.model.feature.value', [expPoint({ ...attrs, 'ml.feature.name': 'age' }, this.values, t)], delta ? DELTA : CUMULATIVE),
      sum(
        'ml.model.feature.category',
        [...this.plans].map(([plan, n]) => numberPoint({ ...attrs, 'ml.feature.name': 'plan', 'ml.feature.category': plan }, n, t)),
        delta ? DELTA : CUMULATIVE,
      ),
    ];
    const req = request({ 'service.name': 'sim', 'service.instance.id': this.instanceId }, metrics);
    if (delta) {
      this.lastExportNs = timeNs;
      this.predictions = 0;
      this.values = new ExponentialHistogram();
      this.plans.clear();
    }
    return req;
  }
}
