import type { Registry } from 'prom-client';
import { SnapshotCounter, SnapshotGauge } from '../metrics/snapshot-metrics.js';
import type { RecordBatchResult } from './record-store.js';

/** Label value for counts of labels whose model has no stored record (bounded cardinality). */
export const OTHER_MODEL = '__dw_other__';

/** The registered records metrics; the records service counts into it and attaches its row counts at start. */
export interface RecordsMetricsFeed {
  /** Reads the stored row counts from now on. */
  attach(rowCounts: () => ReadonlyMap<string, number>, hasModel: (model: string) => boolean): void;
  countBatch(result: RecordBatchResult): void;
  countAgeEvictions(deleted: ReadonlyMap<string, number>): void;
}

/**
 * Registers `driftwatch_records_stored`, `driftwatch_records_received_total{result}`,
 * `driftwatch_records_labels_total{result}` and `driftwatch_records_evicted_total{reason}` (docs/metrics.md).
 */
export function registerRecordsMetrics(registry: Registry): RecordsMetricsFeed {
  const received = new Map<string, number>();
  const labels = new Map<string, number>();
  const evicted = new Map<string, number>();
  let rows: () => ReadonlyMap<string, number> = () => new Map();
  let known: (model: string) => boolean = () => false;
  const add = (map: Map<string, number>, model: string, other: string, n: number): void => {
    if (n > 0) map.set(`${model}\n${other}`, (map.get(`${model}\n${other}`) ?? 0) + n);
  };
  const addAll = (map: Map<string, number>, counts: ReadonlyMap<string, number>, other: string): void => {
    for (const [model, n] of counts) add(map, model, other, n);
  };
  registry.registerMetric(
    new SnapshotGauge({ name: 'driftwatch_records_stored', help: 'Sampled prediction records stored (rolling-window training data).', labelNames: ['model'] }, () =>
      [...rows()].map(([model, value]) => ({ labels: { model }, value })),
    ) as never,
  );
  const counter = (name: string, help: string, map: Map<string, number>, second: 'result' | 'reason'): void => {
    registry.registerMetric(
      new SnapshotCounter({ name, help, labelNames: ['model', second] }, () =>
        [...map].map(([k, value]) => {
          const i = k.indexOf('\n');
          return { labels: { model: k.slice(0, i), [second]: k.slice(i + 1) } as Record<'model' | typeof second, string>, value };
        }),
      ) as never,
    );
  };
  counter('driftwatch_records_received_total', 'Sampled prediction records received, by result: stored, duplicate (a retried export), expired (older than maxAge).', received, 'result');
  counter('driftwatch_records_labels_total', 'Late labels received, by result: joined to a stored record, or unmatched (never sampled or already evicted).', labels, 'result');
  counter('driftwatch_records_evicted_total', 'Stored records deleted by retention, by reason: rows (maxRowsPerModel) or age (maxAge).', evicted, 'reason');
  return {
    attach(rowCounts, hasModel) {
      rows = rowCounts;
      known = hasModel;
    },
    countBatch(r) {
      addAll(received, r.stored, 'stored');
      addAll(received, r.duplicates, 'duplicate');
      addAll(received, r.expired, 'expired');
      addAll(labels, r.labelsJoined, 'joined');
      for (const [model, n] of r.labelsUnmatched) add(labels, known(model) ? model : OTHER_MODEL, 'unmatched', n);
      addAll(evicted, r.evictedRows, 'rows');
    },
    countAgeEvictions(deleted) {
      addAll(evicted, deleted, 'age');
    },
  };
}
