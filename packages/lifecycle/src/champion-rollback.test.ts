import { describe, expect, it } from 'vitest';
import { rollbackTarget } from './champion-rollback.js';
import type { HistoryEvent } from './model-registry.js';

let n = 0;
const ev = (action: HistoryEvent['action'], version: string | null, previousVersion: string | null = null, alias = 'champion'): HistoryEvent => ({
  id: `e${++n}`,
  model: 'm',
  action,
  alias,
  version,
  previousVersion,
  by: 'x',
  reason: '',
  atMs: n,
});

describe('rollbackTarget', () => {
  it('walks back through earlier champions', () => {
    const h = [ev('alias_set', '1'), ev('alias_set', '2', '1'), ev('alias_set', '3', '2')];
    expect(rollbackTarget(h, '3')).toBe('2');
    const h2 = [...h, ev('rollback', '2', '3')];
    expect(rollbackTarget(h2, '2')).toBe('1');
    expect(rollbackTarget([...h2, ev('rollback', '1', '2')], '1')).toBeNull();
  });

  it('ignores other aliases and version registrations', () => {
    const h = [ev('version_registered', '1', null, ''), ev('alias_set', '1'), ev('alias_set', '2', null, 'challenger'), ev('alias_set', '2', '1')];
    expect(rollbackTarget(h, '2')).toBe('1');
  });

  it('returns to the champion before a deleted-then-reset alias', () => {
    const h = [ev('alias_set', '1'), ev('alias_deleted', null, '1'), ev('alias_set', '2')];
    expect(rollbackTarget(h, '2')).toBe('1');
  });

  it('treats an unexplained current champion as the latest move', () => {
    const h = [ev('alias_set', '1'), ev('alias_set', '2', '1')];
    expect(rollbackTarget(h, '5')).toBe('2');
  });

  it('has nothing to roll back to without a champion or history', () => {
    expect(rollbackTarget([], '1')).toBeNull();
    expect(rollbackTarget([ev('alias_set', '1')], null)).toBeNull();
  });
});
