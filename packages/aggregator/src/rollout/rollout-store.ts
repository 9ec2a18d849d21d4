import type { Db } from '../persistence/database.js';
import type { DecisionRecord, JudgementRecord, Rollout, RolloutEvent } from './rollout-record.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rollouts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  model TEXT NOT NULL,
  record TEXT NOT NULL,
  started_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS rollouts_model ON rollouts (model, id);
CREATE TABLE IF NOT EXISTS rollout_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  rollout_id INTEGER NOT NULL,
  model TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  event TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rollout_events_model ON rollout_events (model, seq);
`;

/** Events kept per model (older ones are pruned; a rollout makes a few dozen). */
export const MAX_EVENTS_PER_MODEL = 10_000;

export interface RolloutStore {
  /** The latest rollout of every model (active or finished), as persisted. */
  loadLatest(): Rollout[];
  /** Inserts a new rollout with its first event, in one transaction; returns it with its id. */
  create(rollout: Omit<Rollout, 'id'>, event: DecisionRecord): Rollout;
  /** Saves the rollout and (optionally) appends an event, in one transaction. */
  save(rollout: Rollout, event?: DecisionRecord & { readonly judgement?: JudgementRecord | null }): void;
  /** The model's events, newest first. */
  events(model: string, options?: { readonly limit?: number; readonly rolloutId?: number }): RolloutEvent[];
}

/**
 * Rollout state in the aggregator's SQLite database (tables `rollouts` and `rollout_events`, created if missing):
 * every change is committed before the registry is called, so a crash never loses a decision and a pending alias
 * change is retried after the restart. O(1) per write; `loadLatest` O(rollouts).
 */
export function createRolloutStore(db: Db): RolloutStore {
  db.exec(SCHEMA);
  const q = {
    latest: db.prepare('SELECT r.id, r.record FROM rollouts r WHERE r.id = (SELECT max(id) FROM rollouts WHERE model = r.model) ORDER BY r.model'),
    insert: db.prepare('INSERT INTO rollouts (model, record, started_ms, updated_ms) VALUES (?, ?, ?, ?)'),
    update: db.prepare('UPDATE rollouts SET record = ?, updated_ms = ? WHERE id = ?'),
    insertEvent: db.prepare('INSERT INTO rollout_events (rollout_id, model, at_ms, event) VALUES (?, ?, ?, ?)'),
    prune: db.prepare('DELETE FROM rollout_events WHERE model = ? AND seq <= (SELECT max(seq) FROM rollout_events WHERE model = ?) - ?'),
    events: db.prepare('SELECT seq, rollout_id, event FROM rollout_events WHERE model = ? ORDER BY seq DESC LIMIT ?'),
    eventsOf: db.prepare('SELECT seq, rollout_id, event FROM rollout_events WHERE model = ? AND rollout_id = ? ORDER BY seq DESC LIMIT ?'),
  };
  let writes = 0;

  const appendEvent = (rollout: Rollout, event: DecisionRecord & { readonly judgement?: JudgementRecord | null }): void => {
    const stored = {
      ...event,
      candidateVersion: rollout.candidateVersion,
      primaryVersion: rollout.primaryVersion,
      judgement: event.judgement ?? null,
    };
    q.insertEvent.run(rollout.id, rollout.model, event.atMs, JSON.stringify(stored));
    if (++writes % 100 === 0) q.prune.run(rollout.model, rollout.model, MAX_EVENTS_PER_MODEL);
  };

  const create = db.transaction((rollout: Omit<Rollout, 'id'>, event: DecisionRecord): Rollout => {
    const info = q.insert.run(rollout.model, '{}', rollout.startedAtMs, rollout.updatedAtMs);
    const withId: Rollout = { ...rollout, id: Number(info.lastInsertRowid) };
    q.update.run(JSON.stringify(withId), withId.updatedAtMs, withId.id);
    appendEvent(withId, event);
    return withId;
  });

  const save = db.transaction((rollout: Rollout, event?: DecisionRecord & { readonly judgement?: JudgementRecord | null }) => {
    q.update.run(JSON.stringify(rollout), rollout.updatedAtMs, rollout.id);
    if (event) appendEvent(rollout, event);
  });

  return {
    loadLatest: () => (q.latest.all() as Array<{ id: number; record: string }>).map((row) => ({ ...(JSON.parse(row.record) as Rollout), id: row.id })),
    create: (rollout, event) => create(rollout, event),
    save: (rollout, event) => save(rollout, event),
    events(model, options = {}) {
      const limit = options.limit ?? 100;
      const rows = (options.rolloutId === undefined ? q.events.all(model, limit) : q.eventsOf.all(model, options.rolloutId, limit)) as Array<{ seq: number; rollout_id: number; event: string }>;
      return rows.map((row) => ({ ...(JSON.parse(row.event) as Omit<RolloutEvent, 'seq' | 'rolloutId' | 'model'>), seq: row.seq, rolloutId: row.rollout_id, model }));
    },
  };
}
