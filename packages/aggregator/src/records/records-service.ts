import type { Registry } from 'prom-client';
import type { AggregatorConfig } from '../config/aggregator-config.js';
import { SnapshotCounter, SnapshotGauge } from '../metrics/snapshot-metrics.js';
import type { Db } from '../persistence/database.js';
import type { AggregatorState } from '../state/aggregator-state.js';
import type { LabelRecord, PredictionRecord } from './prediction-record.js';
import { createRecordStore, type RecordStore } from './record-store.js';

/** Label value for counts of labels whose model has no stored record (bounded cardinality). */
export const OTHER_MODEL = '__dw_other__';

export interface RecordsService {
  readonly store: RecordStore;
  /** The logs ingest sink: stores records, joins labels, trims to the row limit, counts. */
  accept(records: readonly PredictionRecord[], labels: readonly LabelRecord[]): void;
  /** Deletes records past `maxAge` (called on the garbage-collection timer). */
  enforceRetention(): void;
}

/**
 * The records side of the aggregator: the SQLite store plus its self-metrics
 * (`driftwatch_records_stored`, `driftwatch_records_received_total`, `driftwatch_records_labels_total`,
 * `driftwatch_records_evicted_total`), registered on the aggregator's registry.
 */
export function createRecordsService(db: Db, config: AggregatorConfig, state: AggregatorState, registry: Registry, now: () => number): RecordsService {
  const store = createRecordStore(db, config.records, config.limits.maxModels);
  const received = new Map<string, number>();
  const labels = new Map<string, number>();
  const evicted = new Map<string, number>();
  const add = (map: Map<string, number>, model: string, result: string, n: number): void => {
    if (n > 0) map.set(`${model}\n${result}`, (map.get(`${model}\n${result}`) ?? 0) + n);
  };
  const addAll = (map: Map<string, number>, counts: ReadonlyMap<string, number>, result: string): void => {
    for (const [model, n] of counts) add(map, model, result, n);
  };
  const split = (key: string): [string, string] => {
    const i = key.indexOf('\n');
    return [key.slice(0, i), key.slice(i + 1)];
  };
  registry.registerMetric(
    new SnapshotGauge({ name: 'driftwatch_records_stored', help: 'Sampled prediction records stored (rolling-window training data).', labelNames: ['model'] }, () =>
      [...store.rowCounts()].map(([model, value]) => ({ labels: { model }, value })),
    ) as never,
  );
  const counter = (name: string, help: string, map: Map<string, number>, second: 'result' | 'reason'): void => {
    registry.registerMetric(
      new SnapshotCounter({ name, help, labelNames: ['model', second] }, () =>
        [...map].map(([key, value]) => {
          const [model, other] = split(key);
          return { labels: { model, [second]: other } as Record<'model' | typeof second, string>, value };
        }),
      ) as never,
    );
  };
  counter('driftwatch_records_received_total', 'Sampled prediction records received, by result: stored, duplicate (a retried export), expired (older than maxAge).', received, 'result');
  counter('driftwatch_records_labels_total', 'Late labels received, by result: joined to a stored record, or unmatched (never sampled or already evicted).', labels, 'result');
  counter('driftwatch_records_evicted_total', 'Stored records deleted by retention, by reason: rows (maxRowsPerModel) or age (maxAge).', evicted, 'reason');

  return {
    store,
    accept(records, labelRecords) {
      if (!config.records.enabled) return;
      const r = store.ingest(records, labelRecords, now());
      addAll(received, r.stored, 'stored');
      addAll(received, r.duplicates, 'duplicate');
      addAll(received, r.expired, 'expired');
      addAll(labels, r.labelsJoined, 'joined');
      for (const [model, n] of r.labelsUnmatched) add(labels, store.hasModel(model) ? model : OTHER_MODEL, 'unmatched', n);
      addAll(evicted, r.evictedRows, 'rows');
      if (r.refused > 0) state.counters.cardinalityRejected.set('model', (state.counters.cardinalityRejected.get('model') ?? 0) + r.refused);
    },
    enforceRetention() {
      addAll(evicted, store.enforceAge(now()), 'age');
    },
  };
}
