import { initialTriggerState, type RetrainingRequest, type TriggerState } from '@driftwatch/lifecycle';
import type { Db } from '../persistence/database.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS retraining_trigger_state (
  model TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  updated_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS retraining_outbox (
  idempotency_key TEXT NOT NULL,
  target TEXT NOT NULL,
  model TEXT NOT NULL,
  request TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (idempotency_key, target)
) WITHOUT ROWID;
`;

/** A dispatch decided but not finished: written with the trigger state that decided it, deleted when the dispatch ends. */
export interface OutboxEntry {
  readonly idempotencyKey: string;
  readonly target: string;
  readonly model: string;
  readonly request: RetrainingRequest;
  readonly createdMs: number;
}

export interface TriggerStore {
  /** Every persisted trigger state (rows that do not parse are skipped and reported). */
  loadStates(onBad: (model: string, problem: string) => void): Map<string, TriggerState>;
  /** Saves trigger states, and the dispatches a firing decision asks for, in one transaction. */
  save(states: ReadonlyMap<string, TriggerState>, outbox: readonly OutboxEntry[], nowMs: number): void;
  /** Dispatches not finished (after a crash or a stop during a dispatch), oldest first. */
  pending(): OutboxEntry[];
  /** Marks a dispatch finished. */
  remove(idempotencyKey: string, target: string): void;
}

function isNumberOrNull(v: unknown): boolean {
  return v === null || (typeof v === 'number' && Number.isFinite(v));
}

function numberRecord(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'number' && Number.isFinite(x));
}

/** A persisted trigger state, checked field by field (a hand-edited or truncated row is refused, not trusted). */
export function parseTriggerState(text: string): TriggerState | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (raw === null || typeof raw !== 'object') return 'not an object';
  const o = raw as Record<string, unknown>;
  for (const key of ['lastEvaluatedAtMs', 'lastFiredAtMs', 'labelsAtLastTraining', 'datasetDriftSinceMs'] as const) {
    if (!isNumberOrNull(o[key] ?? null)) return `${key} is not a number`;
  }
  for (const key of ['featureDriftSinceMs', 'performanceBreachSinceMs'] as const) if (!numberRecord(o[key] ?? {})) return `${key} is not a map of numbers`;
  const handled = o['handledIncidents'] ?? [];
  if (!Array.isArray(handled) || !handled.every((x) => typeof x === 'string')) return 'handledIncidents is not a list of strings';
  const base = initialTriggerState();
  return {
    lastEvaluatedAtMs: (o['lastEvaluatedAtMs'] as number | null | undefined) ?? base.lastEvaluatedAtMs,
    lastFiredAtMs: (o['lastFiredAtMs'] as number | null | undefined) ?? base.lastFiredAtMs,
    labelsAtLastTraining: (o['labelsAtLastTraining'] as number | null | undefined) ?? base.labelsAtLastTraining,
    datasetDriftSinceMs: (o['datasetDriftSinceMs'] as number | null | undefined) ?? base.datasetDriftSinceMs,
    featureDriftSinceMs: { ...((o['featureDriftSinceMs'] as Record<string, number> | undefined) ?? {}) },
    performanceBreachSinceMs: { ...((o['performanceBreachSinceMs'] as Record<string, number> | undefined) ?? {}) },
    handledIncidents: handled as string[],
  };
}

/** Trigger states and the dispatch outbox in the aggregator's SQLite file (tables `retraining_trigger_state`, `retraining_outbox`). */
export function createTriggerStore(db: Db): TriggerStore {
  db.exec(SCHEMA);
  const upsertState = db.prepare('INSERT OR REPLACE INTO retraining_trigger_state (model, state, updated_ms) VALUES (?, ?, ?)');
  const insertOutbox = db.prepare('INSERT OR IGNORE INTO retraining_outbox (idempotency_key, target, model, request, created_ms) VALUES (?, ?, ?, ?, ?)');
  const deleteOutbox = db.prepare('DELETE FROM retraining_outbox WHERE idempotency_key = ? AND target = ?');
  const save = db.transaction((states: ReadonlyMap<string, TriggerState>, outbox: readonly OutboxEntry[], nowMs: number) => {
    for (const [model, state] of states) upsertState.run(model, JSON.stringify(state), Math.round(nowMs));
    for (const e of outbox) insertOutbox.run(e.idempotencyKey, e.target, e.model, JSON.stringify(e.request), Math.round(e.createdMs));
  });
  return {
    loadStates(onBad) {
      const out = new Map<string, TriggerState>();
      for (const row of db.prepare('SELECT model, state FROM retraining_trigger_state').all() as Array<{ model: string; state: string }>) {
        const parsed = parseTriggerState(row.state);
        if (typeof parsed === 'string') onBad(row.model, parsed);
        else out.set(row.model, parsed);
      }
      return out;
    },
    save: (states, outbox, nowMs) => save(states, outbox, nowMs),
    pending() {
      const rows = db.prepare('SELECT idempotency_key, target, model, request, created_ms FROM retraining_outbox ORDER BY created_ms').all() as Array<{
        idempotency_key: string;
        target: string;
        model: string;
        request: string;
        created_ms: number;
      }>;
      return rows.map((r) => ({ idempotencyKey: r.idempotency_key, target: r.target, model: r.model, request: JSON.parse(r.request) as RetrainingRequest, createdMs: r.created_ms }));
    },
    remove(idempotencyKey, target) {
      deleteOutbox.run(idempotencyKey, target);
    },
  };
}
