import { validateReferenceProfile, type ReferenceProfile } from '@driftwatch/stats';
import type { Role } from '../ingest/conventions.js';
import type { StreamRow } from '../ingest/stream-store.js';
import type { AggregatorState, RoleTotals, VersionState } from '../state/aggregator-state.js';
import { PAYLOAD_OF, type SeriesKind } from '../state/series-kinds.js';
import type { SliceRow } from '../windows/windowed-series.js';
import type { Db } from './database.js';

interface SeriesRow {
  id: number;
  kind: string;
  model: string;
  version: string;
  name: string;
  dictionary: string | null;
}

interface SliceDbRow {
  series_id: number;
  win: string;
  slice_index: number;
  payload: Buffer;
}

interface PersistedRole {
  predictions: number;
  calls: number;
  errors: Array<[string, number]>;
  duration: RoleTotals['duration'] | null;
  slowCalls: number;
  /** Absent in files written before shadow comparisons were counted. */
  comparisons?: { agree: number; disagree: number };
}

export interface FlushStats {
  readonly series: number;
  readonly slices: number;
  readonly streams: number;
  readonly versions: number;
}

export interface RestoreStats {
  readonly series: number;
  readonly slices: number;
  readonly streams: number;
  readonly versions: number;
  readonly references: number;
  readonly skipped: number;
}

function totalsJson(v: VersionState): string {
  const roles: Record<string, PersistedRole> = {};
  for (const [role, t] of v.roles) roles[role] = { predictions: t.predictions, calls: t.calls, errors: [...t.errors], duration: t.duration ?? null, slowCalls: t.slowCalls, comparisons: { ...t.comparisons } };
  return JSON.stringify({ roles });
}

/**
 * Saves and restores the aggregator state in SQLite. `flush` writes, in ONE transaction, every dirty slice, the
 * dirty last-cumulative points, counters and registry rows — so after a crash the persisted last points match the
 * persisted slices exactly: the next cumulative point is diffed against the persisted one and the data since the
 * flush lands in the current slice, with nothing counted twice. References are written as soon as they are set.
 */
export class StatePersistence {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      insertSeries: db.prepare('INSERT OR REPLACE INTO series (id, kind, model, version, name, dictionary) VALUES (?, ?, ?, ?, ?, ?)'),
      updateDictionary: db.prepare('UPDATE series SET dictionary = ? WHERE id = ?'),
      deleteSeries: db.prepare('DELETE FROM series WHERE id = ?'),
      deleteSeriesSlices: db.prepare('DELETE FROM slices WHERE series_id = ?'),
      deleteBase: db.prepare("DELETE FROM slices WHERE series_id = ? AND win = ''"),
      upsertSlice: db.prepare('INSERT OR REPLACE INTO slices (series_id, win, slice_index, payload) VALUES (?, ?, ?, ?)'),
      deleteBelow: db.prepare('DELETE FROM slices WHERE series_id = ? AND win = ? AND slice_index < ?'),
      upsertStream: db.prepare('INSERT OR REPLACE INTO streams (key, start_ns, time_ns, seen_ms, payload) VALUES (?, ?, ?, ?, ?)'),
      deleteStream: db.prepare('DELETE FROM streams WHERE key = ?'),
      upsertVersion: db.prepare('INSERT OR REPLACE INTO versions (model, version, first_seen_ms, last_seen_ms, totals) VALUES (?, ?, ?, ?, ?)'),
      deleteVersion: db.prepare('DELETE FROM versions WHERE model = ? AND version = ?'),
      upsertReference: db.prepare('INSERT OR REPLACE INTO reference_profiles (model, version, profile, updated_ms) VALUES (?, ?, ?, ?)'),
      deleteReference: db.prepare('DELETE FROM reference_profiles WHERE model = ? AND version = ?'),
    };
  }

  /** Writes everything dirty in one transaction. Cost: O(dirty rows). */
  flush(state: AggregatorState): FlushStats {
    let series = 0;
    let slices = 0;
    let streams = 0;
    let versions = 0;
    const s = this.stmts;
    const run = this.db.transaction(() => {
      for (const h of state.dirtySeries) {
        const meta = h.meta;
        if (!h.rowSaved) {
          s.insertSeries.run(meta.id, meta.kind, meta.model, meta.version, meta.name, h.dictionary ? JSON.stringify(h.dictionary.allKeys()) : null);
          h.rowSaved = true;
          h.dictionarySaved = h.dictionary?.size ?? 0;
        } else if (h.dictionary && h.dictionary.size !== h.dictionarySaved) {
          s.updateDictionary.run(JSON.stringify(h.dictionary.allKeys()), meta.id);
          h.dictionarySaved = h.dictionary.size;
        }
        const changes = h.series.takeChanges();
        if (changes.base) {
          s.deleteBase.run(meta.id);
          if (changes.base.payload) {
            s.upsertSlice.run(meta.id, '', changes.base.index, changes.base.payload);
            slices++;
          }
        }
        for (const row of changes.upserts) {
          s.upsertSlice.run(meta.id, row.window, row.index, row.payload);
          slices++;
        }
        for (const d of changes.deleteBelow) s.deleteBelow.run(meta.id, d.window, d.index);
        series++;
      }
      state.dirtySeries.clear();
      for (const id of state.droppedSeries) {
        s.deleteSeriesSlices.run(id);
        s.deleteSeries.run(id);
      }
      state.droppedSeries.length = 0;
      const st = state.streams.takeChanges();
      for (const r of st.upserts) {
        s.upsertStream.run(r.key, r.startNs.toString(), r.timeNs.toString(), Math.round(r.seenMs), r.payload);
        streams++;
      }
      for (const key of st.deletes) s.deleteStream.run(key);
      for (const v of state.dirtyVersions) {
        s.upsertVersion.run(v.model, v.version, Math.round(v.firstSeenMs), Math.round(v.lastSeenMs), totalsJson(v));
        versions++;
      }
      state.dirtyVersions.clear();
      for (const [model, version] of state.droppedVersions) s.deleteVersion.run(model, version);
      state.droppedVersions.length = 0;
    });
    run();
    return { series, slices, streams, versions };
  }

  /** Saves a reference immediately (its own transaction). */
  saveReference(profile: ReferenceProfile, nowMs: number): void {
    this.stmts.upsertReference.run(profile.model, profile.version, JSON.stringify(profile), Math.round(nowMs));
  }

  deleteReference(model: string, version: string): void {
    this.stmts.deleteReference.run(model, version);
  }

  /** Loads everything into an empty state, then rotates the windows to `nowMs`. Rows that no longer fit the config or limits are skipped. */
  restore(state: AggregatorState, nowMs: number): RestoreStats {
    let skipped = 0;
    let versions = 0;
    for (const row of this.db.prepare('SELECT model, version, first_seen_ms, last_seen_ms, totals FROM versions').iterate() as IterableIterator<{
      model: string;
      version: string;
      first_seen_ms: number;
      last_seen_ms: number;
      totals: string;
    }>) {
      const v = state.admitVersion(row.model, row.version, nowMs);
      if (typeof v === 'string') {
        skipped++;
        continue;
      }
      v.firstSeenMs = row.first_seen_ms;
      v.lastSeenMs = row.last_seen_ms;
      const parsed = JSON.parse(row.totals) as { roles: Record<string, PersistedRole> };
      for (const role of Object.keys(parsed.roles)) {
        const p = parsed.roles[role] as PersistedRole;
        const t = state.roleTotals(v, role as Role);
        t.predictions = p.predictions;
        t.calls = p.calls;
        for (const [type, n] of p.errors) t.errors.set(type, n);
        t.duration = p.duration ?? undefined;
        t.slowCalls = p.slowCalls;
        if (p.comparisons) t.comparisons = { agree: p.comparisons.agree, disagree: p.comparisons.disagree };
      }
      versions++;
    }
    let references = 0;
    for (const row of this.db.prepare('SELECT profile FROM reference_profiles').iterate() as IterableIterator<{ profile: string }>) {
      try {
        const set = state.setReference(validateReferenceProfile(JSON.parse(row.profile)), nowMs);
        if (typeof set === 'string') skipped++;
        else references++;
      } catch {
        skipped++;
      }
    }
    const slicesBySeries = new Map<number, SliceRow[]>();
    let slices = 0;
    for (const r of this.db.prepare('SELECT series_id, win, slice_index, payload FROM slices').iterate() as IterableIterator<SliceDbRow>) {
      const list = slicesBySeries.get(r.series_id) ?? [];
      list.push({ window: r.win, index: r.slice_index, payload: new Uint8Array(r.payload.buffer, r.payload.byteOffset, r.payload.byteLength) });
      slicesBySeries.set(r.series_id, list);
      slices++;
    }
    let series = 0;
    for (const row of this.db.prepare('SELECT id, kind, model, version, name, dictionary FROM series').iterate() as IterableIterator<SeriesRow>) {
      if (!(row.kind in PAYLOAD_OF)) {
        skipped++;
        continue;
      }
      const h = state.restoreSeries(row.kind as SeriesKind, row.model, row.version, row.name, row.id, row.dictionary ? (JSON.parse(row.dictionary) as string[]) : undefined, nowMs);
      if (!h) {
        skipped++;
        continue;
      }
      try {
        h.series.restore(slicesBySeries.get(row.id) ?? [], nowMs);
        state.dirtySeries.add(h);
      } catch {
        skipped++;
      }
      series++;
    }
    const streamRows: StreamRow[] = [];
    for (const r of this.db.prepare('SELECT key, start_ns, time_ns, seen_ms, payload FROM streams').iterate() as IterableIterator<{
      key: string;
      start_ns: string;
      time_ns: string;
      seen_ms: number;
      payload: Buffer;
    }>) {
      streamRows.push({ key: r.key, startNs: BigInt(r.start_ns), timeNs: BigInt(r.time_ns), seenMs: r.seen_ms, payload: new Uint8Array(r.payload) });
    }
    skipped += state.streams.restore(streamRows);
    state.dirtyVersions.clear();
    return { series, slices, streams: streamRows.length, versions, references, skipped };
  }
}
