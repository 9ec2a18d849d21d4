import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createAuditLog } from './audit-log.js';
import type { DispatchRecord } from './audit-log.js';

const record = (overrides: Partial<DispatchRecord>): DispatchRecord => ({
  id: 'r1',
  model: 'churn',
  trigger: 'drift',
  incidentId: 'drift:dataset:1',
  idempotencyKey: 'dw-churn-aaa',
  target: 'gha',
  targetKind: 'github_repository_dispatch',
  status: 'succeeded',
  attempts: 1,
  responseCode: 204,
  error: null,
  responseBody: null,
  externalId: null,
  startedAtMs: 1000,
  finishedAtMs: 1200,
  ...overrides,
});

describe('createAuditLog', () => {
  it('appends and lists a model’s records newest first, with a limit', () => {
    const log = createAuditLog(':memory:');
    log.append(record({ id: 'a', startedAtMs: 1000 }));
    log.append(record({ id: 'b', startedAtMs: 3000, status: 'failed', responseCode: 500, error: 'HTTP 500', attempts: 5 }));
    log.append(record({ id: 'c', startedAtMs: 2000, model: 'fraud' }));
    log.append(record({ id: 'd', startedAtMs: 3000, externalId: 'run-9' }));
    expect(log.list('churn').map((r) => r.id)).toEqual(['d', 'b', 'a']);
    expect(log.list('churn', { limit: 2 }).map((r) => r.id)).toEqual(['d', 'b']);
    expect(log.list('fraud').map((r) => r.id)).toEqual(['c']);
    expect(log.list('nobody')).toEqual([]);
    expect(log.list('churn')[1]).toEqual(record({ id: 'b', startedAtMs: 3000, status: 'failed', responseCode: 500, error: 'HTTP 500', attempts: 5 }));
    expect(() => log.list('churn', { limit: 0 })).toThrow(RangeError);
    log.close();
  });

  it('finds the latest success for a key and target, ignoring failures and other targets', () => {
    const log = createAuditLog(':memory:');
    log.append(record({ id: 'f', status: 'failed' }));
    expect(log.findSuccess('dw-churn-aaa', 'gha')).toBeUndefined();
    log.append(record({ id: 's', status: 'duplicate' }));
    log.append(record({ id: 'o', target: 'airflow', status: 'succeeded' }));
    expect(log.findSuccess('dw-churn-aaa', 'gha')?.id).toBe('s');
    expect(log.findSuccess('dw-churn-bbb', 'gha')).toBeUndefined();
    log.close();
  });

  it('rejects a duplicate record id', () => {
    const log = createAuditLog(':memory:');
    log.append(record({}));
    expect(() => log.append(record({}))).toThrow(/UNIQUE/);
    log.close();
  });

  it('shares an open database without closing it', () => {
    const db = new Database(':memory:');
    const log = createAuditLog(db);
    log.append(record({}));
    log.close();
    expect(db.prepare('SELECT count(*) AS n FROM lifecycle_dispatch_audit').get()).toEqual({ n: 1 });
    expect(createAuditLog(db).list('churn')).toHaveLength(1);
    db.close();
  });
});

describe('createAuditLog: response bodies', () => {
  it('keeps the response body, and adds the column to a table written before it existed', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE lifecycle_dispatch_audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, model TEXT NOT NULL,
      trigger_kind TEXT NOT NULL, incident_id TEXT NOT NULL, idempotency_key TEXT NOT NULL, target TEXT NOT NULL, target_kind TEXT NOT NULL,
      status TEXT NOT NULL, attempts INTEGER NOT NULL, response_code INTEGER, error TEXT, external_id TEXT, started_at_ms INTEGER NOT NULL,
      finished_at_ms INTEGER NOT NULL)`);
    db.prepare(`INSERT INTO lifecycle_dispatch_audit (id, model, trigger_kind, incident_id, idempotency_key, target, target_kind, status, attempts,
      started_at_ms, finished_at_ms) VALUES ('old', 'churn', 'drift', 'i', 'k', 'gha', 'webhook', 'failed', 1, 1, 2)`).run();
    const log = createAuditLog(db);
    log.append(record({ id: 'new', startedAtMs: 5, responseBody: '{"id":"run-1"}' }));
    expect(log.list('churn').map((r) => [r.id, r.responseBody])).toEqual([
      ['new', '{"id":"run-1"}'],
      ['old', null],
    ]);
  });
});
