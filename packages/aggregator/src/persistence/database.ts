import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** Current schema; bumped when tables change (older files are refused rather than misread). */
export const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  model TEXT NOT NULL,
  version TEXT NOT NULL,
  name TEXT NOT NULL,
  dictionary TEXT
);
CREATE TABLE IF NOT EXISTS slices (
  series_id INTEGER NOT NULL,
  win TEXT NOT NULL,
  slice_index INTEGER NOT NULL,
  payload BLOB NOT NULL,
  PRIMARY KEY (series_id, win, slice_index)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS streams (
  key TEXT PRIMARY KEY,
  start_ns TEXT NOT NULL,
  time_ns TEXT NOT NULL,
  seen_ms INTEGER NOT NULL,
  payload BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS versions (
  model TEXT NOT NULL,
  version TEXT NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL,
  totals TEXT NOT NULL,
  PRIMARY KEY (model, version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reference_profiles (
  model TEXT NOT NULL,
  version TEXT NOT NULL,
  profile TEXT NOT NULL,
  updated_ms INTEGER NOT NULL,
  PRIMARY KEY (model, version)
) WITHOUT ROWID;
`;

/**
 * Opens (creating) the aggregator's SQLite database `<dataDir>/driftwatch.db`, or an in-memory one for
 * `:memory:`. WAL journal, `synchronous = NORMAL` (a committed flush survives a process kill; an OS crash may
 * lose the last flush), foreign keys off (rows are written in one transaction by one writer).
 * Throws when the file has a different schema version.
 */
export function openDatabase(dataDir: string): Db {
  let path = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    path = join(dataDir, 'driftwatch.db');
  }
  const db = new Database(path);
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get('schema_version') as { value: string } | undefined;
  if (!row) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema_version', String(SCHEMA_VERSION));
  else if (Number(row.value) !== SCHEMA_VERSION) {
    db.close();
    throw new Error(`${path}: schema version ${row.value}, this driftwatch needs ${SCHEMA_VERSION}; move the data directory away`);
  }
  return db;
}
