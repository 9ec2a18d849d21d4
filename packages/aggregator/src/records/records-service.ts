import type { AggregatorConfig } from '../config/aggregator-config.js';
import type { Db } from '../persistence/database.js';
import type { AggregatorState } from '../state/aggregator-state.js';
import type { LabelRecord, PredictionRecord } from './prediction-record.js';
import { createRecordStore, type RecordStore } from './record-store.js';
import type { RecordsMetricsFeed } from './records-metrics.js';

export interface RecordsService {
  readonly store: RecordStore;
  /** The logs ingest sink: stores records, joins labels, trims to the row limit, counts. */
  accept(records: readonly PredictionRecord[], labels: readonly LabelRecord[]): void;
  /** Deletes records past `maxAge` (called on the garbage-collection timer). */
  enforceRetention(): void;
}

/**
 * The records side of the aggregator: the SQLite store, counted into the registered records metrics
 * (`PrometheusMetrics.records`). Records for more than `limits.maxModels` models are refused and counted in
 * `driftwatch_cardinality_rejected_total{kind="model"}`; with `records.enabled: false` they are dropped.
 */
export function createRecordsService(db: Db, config: AggregatorConfig, state: AggregatorState, metrics: RecordsMetricsFeed, now: () => number): RecordsService {
  const store = createRecordStore(db, config.records, config.limits.maxModels);
  metrics.attach(() => store.rowCounts(), (model) => store.hasModel(model));
  return {
    store,
    accept(records, labels) {
      if (!config.records.enabled) return;
      const r = store.ingest(records, labels, now());
      metrics.countBatch(r);
      if (r.refused > 0) state.counters.cardinalityRejected.set('model', (state.counters.cardinalityRejected.get('model') ?? 0) + r.refused);
    },
    enforceRetention() {
      metrics.countAgeEvictions(store.enforceAge(now()));
    },
  };
}
