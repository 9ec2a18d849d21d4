import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashId } from './id-hash.js';

const key = (id: string): string => {
  const h = hashId(id, { high: 0, low: 0 });
  return `${h.high}:${h.low}`;
};

describe('hashId', () => {
  it('is a function of the string: equal ids, equal hashes, whatever their representation', () => {
    const a = randomUUID();
    expect(key(a)).toBe(key(a.split('').join('')));
    expect(key(String(42))).toBe(key('42'));
    expect(key('')).toBe(key(''));
  });

  it('tells 300 000 ids apart (sequential, UUIDs, one code unit apart, prefixes) with no collision in 64 bits or in either lane', () => {
    const ids = [
      ...Array.from({ length: 100_000 }, (_, i) => String(i)),
      ...Array.from({ length: 100_000 }, () => randomUUID()),
      ...Array.from({ length: 50_000 }, (_, i) => `req-${String.fromCharCode(i)}`),
      ...Array.from({ length: 50_000 }, (_, i) => 'x'.repeat(i % 500) + String(i)),
    ];
    const distinct = new Set(ids);
    const whole = new Set<string>();
    const low = new Set<number>();
    const high = new Set<number>();
    for (const id of distinct) {
      const h = hashId(id, { high: 0, low: 0 });
      whole.add(`${h.high}:${h.low}`);
      low.add(h.low);
      high.add(h.high);
    }
    expect(whole.size).toBe(distinct.size);
    // a 32-bit lane over 3·10⁵ ids expects ~10 collisions (n²/2³³): allow a few dozen, a broken lane has thousands
    expect(distinct.size - low.size).toBeLessThan(40);
    expect(distinct.size - high.size).toBeLessThan(40);
  });

  it('spreads sequential ids evenly over the index positions (low lane, masked)', () => {
    const positions = 1 << 14;
    const load = new Uint32Array(positions);
    for (let i = 0; i < positions * 4; i++) {
      const at = hashId(`p-${i}`, { high: 0, low: 0 }).low & (positions - 1);
      load[at] = (load[at] as number) + 1;
    }
    // 4 per position on average; a Poisson(4) maximum over 16 384 positions is about 14
    expect(Math.max(...load)).toBeLessThan(20);
  });
});
