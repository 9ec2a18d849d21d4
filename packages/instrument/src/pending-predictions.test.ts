import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PendingPredictions } from './pending-predictions.js';
import type { PendingPrediction } from './pending-predictions.js';

const at = (atMillis: number) => ({ score: NaN, predicted: '1', value: NaN, atMillis });

describe('PendingPredictions', () => {
  it('evicts the oldest beyond maxPending and counts it', () => {
    const p = new PendingPredictions(2, 1000);
    p.add('a', at(0));
    p.add('b', at(1));
    p.add('c', at(2));
    expect(p.size).toBe(2);
    expect(p.evictedBySize).toBe(1);
    expect(p.take('a', 3)).toBeUndefined();
    expect(p.take('b', 3)?.atMillis).toBe(1);
    expect(p.take('b', 3)).toBeUndefined(); // taken once
  });

  it('re-adding an id refreshes its age; numeric and string ids join', () => {
    const p = new PendingPredictions(2, 1000);
    p.add(1, at(0));
    p.add('2', at(1));
    p.add(1, at(2)); // moves 1 to the end
    p.add(3, at(3)); // evicts '2', the oldest now
    expect(p.take('1', 4)?.atMillis).toBe(2);
    expect(p.take(2, 4)).toBeUndefined();
  });

  it('expires entries older than the TTL and counts them', () => {
    const p = new PendingPredictions(10, 100);
    p.add('a', at(0));
    p.add('b', at(50));
    expect(p.take('b', 120)?.atMillis).toBe(50); // a expired at 100
    expect(p.evictedByTtl).toBe(1);
    p.add('c', at(130));
    p.expire(1000);
    expect(p.size).toBe(0);
    expect(p.evictedByTtl).toBe(2);
  });

  it('maxPending 0 keeps nothing', () => {
    const p = new PendingPredictions(0, 100);
    p.add('a', at(0));
    expect(p.size).toBe(0);
  });
});

describe('PendingPredictions against a reference model', () => {
  /** The documented rule, written plainly: joinable while among the last maxPending stored and younger than the TTL. */
  class Reference {
    stored: Array<{ key: string; p: PendingPrediction; alive: boolean }> = [];
    evictedBySize = 0;
    evictedByTtl = 0;
    constructor(
      readonly maxPending: number,
      readonly ttl: number,
    ) {}
    add(key: string, p: PendingPrediction): void {
      if (this.maxPending === 0) return;
      this.expire(p.atMillis);
      for (const e of this.stored) if (e.key === key) e.alive = false;
      this.stored.push({ key, p, alive: true });
      while (this.stored.length > this.maxPending) {
        const e = this.stored.shift();
        if (e?.alive) this.evictedBySize++;
      }
    }
    take(key: string, now: number): PendingPrediction | undefined {
      this.expire(now);
      const e = this.stored.find((x) => x.alive && x.key === key);
      if (!e) return undefined;
      e.alive = false;
      return e.p;
    }
    expire(now: number): void {
      while (this.stored.length) {
        const e = this.stored[0] as { alive: boolean; p: PendingPrediction };
        if (e.alive && e.p.atMillis > now - this.ttl) return;
        if (e.alive) this.evictedByTtl++;
        this.stored.shift();
      }
    }
  }

  type Op = { kind: 'add'; id: number; dt: number; label?: string | undefined } | { kind: 'take'; id: number; dt: number };

  /** Plays `ops` on both; ids are keyed by `key` (numbers as given, or strings). Checks every take, and the size as it goes. */
  function replay(maxPending: number, ttl: number, ops: readonly Op[], key: (id: number) => string | number): void {
    const real = new PendingPredictions(maxPending, ttl);
    const ref = new Reference(maxPending, ttl);
    let now = 0;
    let n = 0;
    for (const o of ops) {
      now += o.dt;
      if (o.kind === 'add') {
        const p = { score: n, predicted: o.label, value: o.label === undefined ? n : NaN, atMillis: now };
        n++;
        real.add(key(o.id), p);
        ref.add(String(key(o.id)), p);
      } else {
        expect(real.take(key(o.id), now)).toEqual(ref.take(String(key(o.id)), now));
      }
      expect(real.size).toBe(ref.stored.filter((e) => e.alive).length);
    }
    expect([real.evictedBySize, real.evictedByTtl]).toEqual([ref.evictedBySize, ref.evictedByTtl]);
  }

  it('behaves like the plain rule for any sequence of adds and takes (ring growth included)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), id: fc.integer({ min: 0, max: 40 }), dt: fc.integer({ min: 0, max: 5 }), label: fc.constantFrom('a', 'b', undefined) }),
      fc.record({ kind: fc.constant('take' as const), id: fc.integer({ min: 0, max: 40 }), dt: fc.integer({ min: 0, max: 5 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 1, max: 400 }), fc.array(op, { maxLength: 1500 }), (maxPending, ttl, ops) => {
        replay(maxPending, ttl, ops, (id) => id);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('behaves like the plain rule with thousands of distinct ids (long probe runs, deletions inside them)', () => {
    const op = fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), id: fc.integer({ min: 0, max: 5000 }), dt: fc.integer({ min: 0, max: 2 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('take' as const), id: fc.integer({ min: 0, max: 5000 }), dt: fc.integer({ min: 0, max: 2 }) }) },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 50, max: 5000 }), fc.array(op, { minLength: 2000, maxLength: 6000 }), (maxPending, ttl, ops) => {
        replay(maxPending, ttl, ops, (id) => `req-${id}`);
      }),
      { seed: 7, numRuns: 25, endOnFailure: true }, // no shrinking: 6000-operation runs shrink for minutes
    );
  });
});
