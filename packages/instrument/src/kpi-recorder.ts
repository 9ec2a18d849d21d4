import { ExponentialHistogram, truncateCategory } from '@driftwatch/stats';
import { BoundedTable } from './bounded-labels.js';

/** At most this many KPI names per model; later names share `__dw_other__`. */
export const MAX_KPI_NAMES = 100;

/** Running state of one business KPI. */
export interface KpiState {
  sum: number;
  events: number;
  readonly values: ExponentialHistogram;
}

/** Business KPI events: running sum, event count and value distribution per KPI name. */
export class KpiRecorder {
  readonly kpis = new BoundedTable<KpiState>(MAX_KPI_NAMES, () => ({ sum: 0, events: 0, values: new ExponentialHistogram() }));

  /** Records one event; false (nothing recorded) for an empty name or a non-finite value. */
  record(name: unknown, value: unknown): boolean {
    if (typeof name !== 'string' || name === '' || typeof value !== 'number' || !Number.isFinite(value)) return false;
    const k = this.kpis.get(truncateCategory(name));
    k.sum += value;
    k.events++;
    k.values.record(value);
    return true;
  }
}
