import type { Db } from '../persistence/database.js';
import type { RecordsConfig } from './records-config.js';
import type { LabelRecord, PredictionRecord } from './prediction-record.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS prediction_records (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  model TEXT NOT NULL,
  version TEXT NOT NULL,
  prediction_id TEXT NOT NULL,
  time_ms INTEGER NOT NULL,
  role TEXT NOT NULL,
  sample_rate REAL,
  features TEXT NOT NULL,
  output TEXT NOT NULL,
  label TEXT,
  label_time_ms INTEGER,
  UNIQUE (model, prediction_id)
);
CREATE INDEX IF NOT EXISTS prediction_records_model_time ON prediction_records (model, time_ms, seq);
CREATE INDEX IF NOT EXISTS prediction_records_time ON prediction_records (time_ms);
CREATE TABLE IF NOT EXISTS prediction_record_columns (model TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (model, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS prediction_record_totals (
  model TEXT PRIMARY KEY,
  stored INTEGER NOT NULL,
  labelled INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** One stored record as read back for export (JSON columns still as text). */
export interface StoredRecordRow {
  readonly seq: number;
  readonly version: string;
  readonly prediction_id: string;
  readonly time_ms: number;
  readonly role: string;
  readonly sample_rate: number | null;
  readonly features: string;
  readonly output: string;
  readonly label: string | null;
  readonly label_time_ms: number | null;
}

/** Where an export page continues: after this (time, seq). */
export interface RecordCursor {
  readonly timeMs: number;
  readonly seq: number;
}

export interface RecordQuery {
  readonly model: string;
  readonly sinceMs: number;
  /** Exclusive. */
  readonly untilMs: number;
  readonly version?: string;
  /** Only records with a label. */
  readonly labelledOnly?: boolean;
}

/** What one ingest batch did, per model (for the self-metrics). */
export interface RecordBatchResult {
  readonly stored: Map<string, number>;
  readonly duplicates: Map<string, number>;
  readonly expired: Map<string, number>;
  readonly labelsJoined: Map<string, number>;
  readonly labelsUnmatched: Map<string, number>;
  readonly evictedRows: Map<string, number>;
  /** Records refused because the store already holds `maxModels` models. */
  readonly refused: number;
}

export interface RecordStore {
  /** Stores records and joins labels in one transaction, then trims each touched model to `maxRowsPerModel` (oldest first). */
  ingest(records: readonly PredictionRecord[], labels: readonly LabelRecord[], nowMs: number): RecordBatchResult;
  /** Deletes records older than `maxAge`; returns the deletions per model. */
  enforceAge(nowMs: number): Map<string, number>;
  /** One page of records in (time, seq) order after `cursor`. */
  page(query: RecordQuery, cursor: RecordCursor | undefined, limit: number): StoredRecordRow[];
  /** Feature names seen for the model, sorted (the CSV columns). */
  columns(model: string): string[];
  /** Labelled records received for the model since the store was created (monotonic; the volume trigger reads it). */
  labelledTotal(model: string): number | undefined;
  /** Rows stored now, per model. */
  rowCounts(): ReadonlyMap<string, number>;
  hasModel(model: string): boolean;
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/**
 * Sampled prediction records in the aggregator's SQLite file (tables `prediction_records`, `prediction_record_columns`,
 * `prediction_record_totals`). A record is unique per (model, prediction id): a retried export stores it once. Late
 * labels are joined by (model, prediction id). Retention: at most `maxRowsPerModel` rows per model (the oldest by
 * prediction time go first) and nothing older than `maxAge`. Cost: O(log n) per record; exports read keyset pages,
 * so a long export never holds the connection between pages.
 */
export function createRecordStore(db: Db, config: RecordsConfig, maxModels: number): RecordStore {
  db.exec(SCHEMA);
  const s = {
    insert: db.prepare(
      `INSERT OR IGNORE INTO prediction_records (model, version, prediction_id, time_ms, role, sample_rate, features, output, label, label_time_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    labelFirst: db.prepare('UPDATE prediction_records SET label = ?, label_time_ms = ? WHERE model = ? AND prediction_id = ? AND label IS NULL'),
    labelAgain: db.prepare('UPDATE prediction_records SET label = ?, label_time_ms = ? WHERE model = ? AND prediction_id = ?'),
    addColumn: db.prepare('INSERT OR IGNORE INTO prediction_record_columns (model, name) VALUES (?, ?)'),
    upsertTotals: db.prepare(
      `INSERT INTO prediction_record_totals (model, stored, labelled) VALUES (?, ?, ?)
       ON CONFLICT (model) DO UPDATE SET stored = stored + excluded.stored, labelled = labelled + excluded.labelled`,
    ),
    trim: db.prepare('DELETE FROM prediction_records WHERE seq IN (SELECT seq FROM prediction_records WHERE model = ? ORDER BY time_ms, seq LIMIT ?)'),
    expire: db.prepare('DELETE FROM prediction_records WHERE seq IN (SELECT seq FROM prediction_records WHERE time_ms < ? LIMIT 10000) RETURNING model'),
    columns: db.prepare('SELECT name FROM prediction_record_columns WHERE model = ? ORDER BY name'),
  };
  const rowCount = new Map<string, number>();
  for (const r of db.prepare('SELECT model, count(*) AS n FROM prediction_records GROUP BY model').all() as Array<{ model: string; n: number }>) rowCount.set(r.model, r.n);
  const labelled = new Map<string, number>();
  const models = new Set<string>(rowCount.keys());
  for (const r of db.prepare('SELECT model, labelled FROM prediction_record_totals').all() as Array<{ model: string; labelled: number }>) {
    labelled.set(r.model, r.labelled);
    models.add(r.model);
  }
  const columnCount = new Map<string, number>();
  for (const r of db.prepare('SELECT model, count(*) AS n FROM prediction_record_columns GROUP BY model').all() as Array<{ model: string; n: number }>) columnCount.set(r.model, r.n);
  const knownColumns = new Map<string, Set<string>>();

  const addColumns = (model: string, names: readonly string[]): void => {
    let known = knownColumns.get(model);
    if (!known) {
      known = new Set((s.columns.all(model) as Array<{ name: string }>).map((r) => r.name));
      knownColumns.set(model, known);
    }
    for (const name of names) {
      if (known.has(name) || known.size >= config.maxColumnsPerModel) continue;
      known.add(name);
      s.addColumn.run(model, name);
      columnCount.set(model, known.size);
    }
  };

  const ingest = db.transaction((records: readonly PredictionRecord[], labels: readonly LabelRecord[], nowMs: number): RecordBatchResult => {
    const result: RecordBatchResult = {
      stored: new Map(),
      duplicates: new Map(),
      expired: new Map(),
      labelsJoined: new Map(),
      labelsUnmatched: new Map(),
      evictedRows: new Map(),
      refused: 0,
    };
    let refused = 0;
    const newLabels = new Map<string, number>();
    const oldest = nowMs - config.maxAgeMs;
    for (const r of records) {
      if (!models.has(r.model)) {
        if (models.size >= maxModels) {
          refused++;
          continue;
        }
        models.add(r.model);
      }
      if (r.timeMs < oldest) {
        bump(result.expired, r.model);
        continue;
      }
      const info = s.insert.run(r.model, r.version, r.predictionId, Math.round(r.timeMs), r.role, r.sampleRate, r.featuresJson, r.outputJson, r.labelJson, r.labelJson === null ? null : Math.round(r.timeMs));
      if (info.changes === 0) {
        bump(result.duplicates, r.model);
        continue;
      }
      bump(result.stored, r.model);
      bump(rowCount, r.model);
      if (r.labelJson !== null) bump(newLabels, r.model);
      addColumns(r.model, r.featureNames);
    }
    for (const l of labels) {
      const t = Math.round(l.timeMs);
      if (s.labelFirst.run(l.labelJson, t, l.model, l.predictionId).changes > 0) {
        bump(newLabels, l.model);
        bump(result.labelsJoined, l.model);
      } else if (s.labelAgain.run(l.labelJson, t, l.model, l.predictionId).changes > 0) {
        bump(result.labelsJoined, l.model);
      } else {
        bump(result.labelsUnmatched, l.model);
      }
    }
    for (const model of new Set([...result.stored.keys(), ...newLabels.keys()])) {
      const n = newLabels.get(model) ?? 0;
      s.upsertTotals.run(model, result.stored.get(model) ?? 0, n);
      labelled.set(model, (labelled.get(model) ?? 0) + n);
    }
    for (const model of result.stored.keys()) {
      const excess = (rowCount.get(model) ?? 0) - config.maxRowsPerModel;
      if (excess <= 0) continue;
      const deleted = s.trim.run(model, excess).changes;
      rowCount.set(model, (rowCount.get(model) ?? 0) - deleted);
      bump(result.evictedRows, model, deleted);
    }
    return { ...result, refused };
  });

  return {
    ingest: (records, labels, nowMs) => ingest(records, labels, nowMs),
    enforceAge(nowMs) {
      const deleted = new Map<string, number>();
      for (;;) {
        const rows = db.transaction(() => s.expire.all(Math.round(nowMs - config.maxAgeMs)) as Array<{ model: string }>)();
        for (const r of rows) {
          bump(deleted, r.model);
          rowCount.set(r.model, (rowCount.get(r.model) ?? 1) - 1);
        }
        if (rows.length < 10_000) break;
      }
      return deleted;
    },
    page(query, cursor, limit) {
      const where = ['model = ?', 'time_ms >= ?', 'time_ms < ?'];
      const args: Array<string | number> = [query.model, query.sinceMs, query.untilMs];
      if (cursor) {
        where.push('(time_ms > ? OR (time_ms = ? AND seq > ?))');
        args.push(cursor.timeMs, cursor.timeMs, cursor.seq);
      }
      if (query.version !== undefined) {
        where.push('version = ?');
        args.push(query.version);
      }
      if (query.labelledOnly) where.push('label IS NOT NULL');
      args.push(limit);
      return db
        .prepare(
          `SELECT seq, version, prediction_id, time_ms, role, sample_rate, features, output, label, label_time_ms FROM prediction_records
           WHERE ${where.join(' AND ')} ORDER BY time_ms, seq LIMIT ?`,
        )
        .all(...args) as StoredRecordRow[];
    },
    columns: (model) => (s.columns.all(model) as Array<{ name: string }>).map((r) => r.name),
    labelledTotal: (model) => labelled.get(model),
    rowCounts: () => rowCount,
    hasModel: (model) => models.has(model),
  };
}
