import Database from 'better-sqlite3';
import type { DispatchTargetKind } from './dispatch-target.js';
import type { TriggerKind } from './trigger-evaluation.js';

/** How one dispatch ended. `duplicate`: the target already had this idempotency key; `skipped`: the audit log already had a success for it. */
export type DispatchStatus = 'succeeded' | 'duplicate' | 'failed' | 'skipped';

/** The audit record of one dispatch (all attempts together). Plain data. */
export interface DispatchRecord {
  readonly id: string;
  readonly model: string;
  readonly trigger: TriggerKind;
  readonly incidentId: string;
  readonly idempotencyKey: string;
  /** The target's configured name. */
  readonly target: string;
  readonly targetKind: DispatchTargetKind;
  readonly status: DispatchStatus;
  /** HTTP requests made (token requests included). */
  readonly attempts: number;
  /** Status of the last response, `null` when none came (network error, skipped). */
  readonly responseCode: number | null;
  /** The last response's body, whitespace folded and cut to 300 characters; `null` when none came or it was empty. */
  readonly responseBody: string | null;
  readonly error: string | null;
  /** The run the target created, when it says: Prefect flow run id, Airflow dag_run_id. */
  readonly externalId: string | null;
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
}

/** Append-only store of dispatch records. */
export interface AuditLog {
  append(record: DispatchRecord): void;
  /** The model's records, newest first (default limit 100). */
  list(model: string, options?: { limit?: number }): DispatchRecord[];
  /** The latest `succeeded`/`duplicate` record for this key and target, if any. */
  findSuccess(idempotencyKey: string, target: string): DispatchRecord | undefined;
  close(): void;
}

interface Row {
  id: string;
  model: string;
  trigger_kind: string;
  incident_id: string;
  idempotency_key: string;
  target: string;
  target_kind: string;
  status: string;
  attempts: number;
  response_code: number | null;
  response_body: string | null;
  error: string | null;
  external_id: string | null;
  started_at_ms: number;
  finished_at_ms: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS lifecycle_dispatch_audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  model TEXT NOT NULL,
  trigger_kind TEXT NOT NULL,
  incident_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  target TEXT NOT NULL,
  target_kind TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  response_code INTEGER,
  response_body TEXT,
  error TEXT,
  external_id TEXT,
  started_at_ms INTEGER NOT NULL,
  finished_at_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS lifecycle_dispatch_audit_model ON lifecycle_dispatch_audit (model, started_at_ms);
CREATE INDEX IF NOT EXISTS lifecycle_dispatch_audit_key ON lifecycle_dispatch_audit (idempotency_key, target);
`;

const fromRow = (row: Row): DispatchRecord => ({
  id: row.id,
  model: row.model,
  trigger: row.trigger_kind as TriggerKind,
  incidentId: row.incident_id,
  idempotencyKey: row.idempotency_key,
  target: row.target,
  targetKind: row.target_kind as DispatchTargetKind,
  status: row.status as DispatchStatus,
  attempts: row.attempts,
  responseCode: row.response_code,
  responseBody: row.response_body ?? null,
  error: row.error,
  externalId: row.external_id,
  startedAtMs: row.started_at_ms,
  finishedAtMs: row.finished_at_ms,
});

/**
 * An {@link AuditLog} in SQLite (table `lifecycle_dispatch_audit`). Pass a file path (`:memory:`
 * in tests) or an open better-sqlite3 database to share one file with other stores; `close()`
 * only closes a database this function opened. Appends and lookups are O(log n).
 */
export function createAuditLog(database: string | Database.Database): AuditLog {
  const owned = typeof database === 'string';
  const db = owned ? new Database(database) : database;
  db.exec(SCHEMA);
  // tables written before response_body existed get the column (NULL in old rows)
  const columns = db.prepare('PRAGMA table_info(lifecycle_dispatch_audit)').all() as Array<{ name: string }>;
  if (!columns.some((c) => c.name === 'response_body')) db.exec('ALTER TABLE lifecycle_dispatch_audit ADD COLUMN response_body TEXT');
  const insert = db.prepare(
    `INSERT INTO lifecycle_dispatch_audit (id, model, trigger_kind, incident_id, idempotency_key, target, target_kind, status,
       attempts, response_code, response_body, error, external_id, started_at_ms, finished_at_ms)
     VALUES (@id, @model, @trigger_kind, @incident_id, @idempotency_key, @target, @target_kind, @status,
       @attempts, @response_code, @response_body, @error, @external_id, @started_at_ms, @finished_at_ms)`,
  );
  const byModel = db.prepare(
    'SELECT * FROM lifecycle_dispatch_audit WHERE model = ? ORDER BY started_at_ms DESC, seq DESC LIMIT ?',
  );
  const success = db.prepare(
    `SELECT * FROM lifecycle_dispatch_audit WHERE idempotency_key = ? AND target = ? AND status IN ('succeeded', 'duplicate')
     ORDER BY seq DESC LIMIT 1`,
  );
  return {
    append(record) {
      insert.run({
        id: record.id,
        model: record.model,
        trigger_kind: record.trigger,
        incident_id: record.incidentId,
        idempotency_key: record.idempotencyKey,
        target: record.target,
        target_kind: record.targetKind,
        status: record.status,
        attempts: record.attempts,
        response_code: record.responseCode,
        response_body: record.responseBody,
        error: record.error,
        external_id: record.externalId,
        started_at_ms: record.startedAtMs,
        finished_at_ms: record.finishedAtMs,
      });
    },
    list(model, options = {}) {
      const limit = options.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`list limit must be a positive integer, got ${limit}`);
      return (byModel.all(model, limit) as Row[]).map(fromRow);
    },
    findSuccess(idempotencyKey, target) {
      const row = success.get(idempotencyKey, target) as Row | undefined;
      return row === undefined ? undefined : fromRow(row);
    },
    close() {
      if (owned) db.close();
    },
  };
}
