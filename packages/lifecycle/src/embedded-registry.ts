import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { rollbackTarget } from './champion-rollback.js';
import { CHAMPION, RegistryError } from './model-registry.js';
import type { HistoryAction, HistoryEvent, ModelRegistry, ModelVersion, RegisteredModel } from './model-registry.js';
import { checkAlias, checkChange, checkLimit, checkModelName, checkRegistration, checkVersion } from './registry-validation.js';

export interface EmbeddedRegistryOptions {
  /** A file path (`:memory:` in tests) or an open better-sqlite3 database shared with other stores. */
  readonly database: string | Database.Database;
  readonly now?: () => number;
  readonly newId?: () => string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS lifecycle_registry_models (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS lifecycle_registry_versions (
  model TEXT NOT NULL REFERENCES lifecycle_registry_models (name),
  version INTEGER NOT NULL,
  artifact_uri TEXT NOT NULL,
  metrics_json TEXT NOT NULL,
  description TEXT NOT NULL,
  run_id TEXT,
  created_by TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  PRIMARY KEY (model, version)
);
CREATE TABLE IF NOT EXISTS lifecycle_registry_aliases (
  model TEXT NOT NULL,
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (model, alias),
  FOREIGN KEY (model, version) REFERENCES lifecycle_registry_versions (model, version)
);
CREATE TABLE IF NOT EXISTS lifecycle_registry_history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  model TEXT NOT NULL,
  action TEXT NOT NULL,
  alias TEXT,
  version TEXT,
  previous_version TEXT,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS lifecycle_registry_history_model ON lifecycle_registry_history (model, seq);
`;

interface VersionRow {
  model: string;
  version: number;
  artifact_uri: string;
  metrics_json: string;
  description: string;
  run_id: string | null;
  created_by: string;
  created_at_ms: number;
  aliases: string | null;
}

interface HistoryRow {
  id: string;
  model: string;
  action: string;
  alias: string | null;
  version: string | null;
  previous_version: string | null;
  actor: string;
  reason: string;
  at_ms: number;
}

const toVersion = (row: VersionRow): ModelVersion => ({
  model: row.model,
  version: String(row.version),
  artifactUri: row.artifact_uri,
  metrics: JSON.parse(row.metrics_json) as Record<string, number>,
  description: row.description,
  runId: row.run_id,
  createdBy: row.created_by,
  createdAtMs: row.created_at_ms,
  aliases: row.aliases === null ? [] : row.aliases.split(',').sort(),
});

const toEvent = (row: HistoryRow): HistoryEvent => ({
  id: row.id,
  model: row.model,
  action: row.action as HistoryAction,
  alias: row.alias,
  version: row.version,
  previousVersion: row.previous_version,
  by: row.actor,
  reason: row.reason,
  atMs: row.at_ms,
});

const VERSION_SELECT = `
SELECT v.*, (SELECT group_concat(a.alias) FROM lifecycle_registry_aliases a WHERE a.model = v.model AND a.version = v.version) AS aliases
FROM lifecycle_registry_versions v`;

/**
 * The embedded {@link ModelRegistry}: SQLite tables `lifecycle_registry_*`. Every change and its
 * history event are written in one transaction. Operations are O(log n) except `listVersions` and
 * `history`/`rollback` (O(versions) and O(history)).
 */
export function createEmbeddedRegistry(options: EmbeddedRegistryOptions): ModelRegistry & { close(): void } {
  const owned = typeof options.database === 'string';
  const db = typeof options.database === 'string' ? new Database(options.database) : options.database;
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomUUID;
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);

  const q = {
    model: db.prepare('SELECT * FROM lifecycle_registry_models WHERE name = ?'),
    insertModel: db.prepare('INSERT INTO lifecycle_registry_models (name, description, created_at_ms) VALUES (?, ?, ?)'),
    aliasesOf: db.prepare('SELECT alias, version FROM lifecycle_registry_aliases WHERE model = ? ORDER BY alias'),
    version: db.prepare(`${VERSION_SELECT} WHERE v.model = ? AND v.version = ?`),
    versions: db.prepare(`${VERSION_SELECT} WHERE v.model = ? ORDER BY v.version`),
    maxVersion: db.prepare('SELECT coalesce(max(version), 0) AS n FROM lifecycle_registry_versions WHERE model = ?'),
    insertVersion: db.prepare(
      `INSERT INTO lifecycle_registry_versions (model, version, artifact_uri, metrics_json, description, run_id, created_by, created_at_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    alias: db.prepare('SELECT version FROM lifecycle_registry_aliases WHERE model = ? AND alias = ?'),
    upsertAlias: db.prepare(
      'INSERT INTO lifecycle_registry_aliases (model, alias, version) VALUES (?, ?, ?) ON CONFLICT (model, alias) DO UPDATE SET version = excluded.version',
    ),
    deleteAlias: db.prepare('DELETE FROM lifecycle_registry_aliases WHERE model = ? AND alias = ?'),
    insertEvent: db.prepare(
      `INSERT INTO lifecycle_registry_history (id, model, action, alias, version, previous_version, actor, reason, at_ms)
       VALUES (@id, @model, @action, @alias, @version, @previous_version, @actor, @reason, @at_ms)`,
    ),
    historyNewest: db.prepare('SELECT * FROM lifecycle_registry_history WHERE model = ? ORDER BY seq DESC LIMIT ?'),
    historyOldest: db.prepare('SELECT * FROM lifecycle_registry_history WHERE model = ? ORDER BY seq'),
  };

  type EventInput = Omit<HistoryEvent, 'id' | 'atMs'>;
  const record = (event: EventInput, atMs: number): void => {
    q.insertEvent.run({
      id: newId(),
      model: event.model,
      action: event.action,
      alias: event.alias,
      version: event.version,
      previous_version: event.previousVersion,
      actor: event.by,
      reason: event.reason,
      at_ms: atMs,
    });
  };

  const readModel = (name: string): RegisteredModel | null => {
    const row = q.model.get(name) as { name: string; description: string; created_at_ms: number } | undefined;
    if (row === undefined) return null;
    const aliases: Record<string, string> = {};
    for (const a of q.aliasesOf.all(name) as Array<{ alias: string; version: number }>) aliases[a.alias] = String(a.version);
    return { name: row.name, description: row.description, createdAtMs: row.created_at_ms, aliases };
  };
  const requireModel = (name: string): void => {
    if (q.model.get(name) === undefined) throw new RegistryError('not_found', `model ${name} is not registered`);
  };
  const aliasVersion = (model: string, alias: string): string | null => {
    const row = q.alias.get(model, alias) as { version: number } | undefined;
    return row === undefined ? null : String(row.version);
  };

  const createModelTx = db.transaction((name: string, by: string, reason: string, description: string, atMs: number) => {
    if (q.model.get(name) !== undefined) throw new RegistryError('conflict', `model ${name} already exists`);
    q.insertModel.run(name, description, atMs);
    record({ model: name, action: 'model_created', alias: null, version: null, previousVersion: null, by, reason }, atMs);
  });

  const moveAliasTx = db.transaction(
    (model: string, alias: string, to: string | null, action: HistoryAction, by: string, reason: string, atMs: number) => {
      const from = aliasVersion(model, alias);
      if (to === null) q.deleteAlias.run(model, alias);
      else q.upsertAlias.run(model, alias, Number(to));
      record({ model, action, alias, version: to, previousVersion: from, by, reason }, atMs);
    },
  );

  return {
    async createModel(name, change) {
      checkModelName(name);
      const { by, reason } = checkChange(change);
      createModelTx(name, by, reason, change.description ?? '', now());
      return readModel(name) as RegisteredModel;
    },

    async getModel(name) {
      checkModelName(name);
      return readModel(name);
    },

    async registerVersion(input) {
      checkRegistration(input);
      const { by, reason } = checkChange(input);
      const atMs = now();
      const version = db.transaction(() => {
        if (q.model.get(input.model) === undefined) createModelTx(input.model, by, reason, '', atMs);
        const next = (q.maxVersion.get(input.model) as { n: number }).n + 1;
        q.insertVersion.run(input.model, next, input.artifactUri, JSON.stringify(input.metrics ?? {}), input.description ?? '', input.runId ?? null, by, atMs);
        record({ model: input.model, action: 'version_registered', alias: null, version: String(next), previousVersion: null, by, reason }, atMs);
        return next;
      })();
      return toVersion(q.version.get(input.model, version) as VersionRow);
    },

    async getVersion(model, version) {
      checkModelName(model);
      checkVersion(version);
      const row = q.version.get(model, Number(version)) as VersionRow | undefined;
      return row === undefined ? null : toVersion(row);
    },

    async listVersions(model) {
      checkModelName(model);
      requireModel(model);
      return (q.versions.all(model) as VersionRow[]).map(toVersion);
    },

    async getVersionByAlias(model, alias) {
      checkModelName(model);
      checkAlias(alias);
      const version = aliasVersion(model, alias);
      return version === null ? null : toVersion(q.version.get(model, Number(version)) as VersionRow);
    },

    async setAlias(model, alias, version, change) {
      checkModelName(model);
      checkAlias(alias);
      checkVersion(version);
      const { by, reason } = checkChange(change);
      requireModel(model);
      if (q.version.get(model, Number(version)) === undefined) throw new RegistryError('not_found', `model ${model} has no version ${version}`);
      if (aliasVersion(model, alias) === version) return;
      moveAliasTx(model, alias, version, 'alias_set', by, reason, now());
    },

    async deleteAlias(model, alias, change) {
      checkModelName(model);
      checkAlias(alias);
      const { by, reason } = checkChange(change);
      if (aliasVersion(model, alias) === null) throw new RegistryError('not_found', `model ${model} has no alias ${alias}`);
      moveAliasTx(model, alias, null, 'alias_deleted', by, reason, now());
    },

    async history(model, opts = {}) {
      checkModelName(model);
      const limit = checkLimit(opts.limit, 1000);
      return (q.historyNewest.all(model, limit) as HistoryRow[]).map(toEvent);
    },

    async rollback(model, change) {
      checkModelName(model);
      const { by, reason } = checkChange(change);
      requireModel(model);
      return db.transaction(() => {
        const current = aliasVersion(model, CHAMPION);
        if (current === null) throw new RegistryError('conflict', `model ${model} has no champion to roll back`);
        const target = rollbackTarget((q.historyOldest.all(model) as HistoryRow[]).map(toEvent), current);
        if (target === null) throw new RegistryError('conflict', `model ${model} has no previous champion to roll back to`);
        moveAliasTx(model, CHAMPION, target, 'rollback', by, reason, now());
        return { alias: CHAMPION, from: current, to: target } as const;
      })();
    },

    close() {
      if (owned) db.close();
    },
  };
}
