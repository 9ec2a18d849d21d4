import { describe, expect, it } from 'vitest';
import { StreamTimes } from './stream-times.js';

describe('StreamTimes', () => {
  it('keeps each index its own timestamps, growing past its first capacity, over the whole uint64 range', () => {
    const t = new StreamTimes();
    const max = 2n ** 64n - 1n;
    const indices = Array.from({ length: 100 }, (_, i) => t.add(BigInt(i), max - BigInt(i)));
    expect(new Set(indices).size).toBe(100);
    indices.forEach((index, i) => {
      expect(t.start(index)).toBe(BigInt(i));
      expect(t.time(index)).toBe(max - BigInt(i));
    });
    t.setTime(indices[7] as number, 5n);
    expect([t.start(indices[7] as number), t.time(indices[7] as number)]).toEqual([7n, 5n]);
    t.set(indices[8] as number, 2n ** 63n, 2n ** 63n + 1n);
    expect([t.start(indices[8] as number), t.time(indices[8] as number)]).toEqual([2n ** 63n, 2n ** 63n + 1n]);
    expect([t.start(indices[9] as number), t.time(indices[9] as number)]).toEqual([9n, max - 9n]);
  });

  it('reuses a released index, overwriting what it held', () => {
    const t = new StreamTimes();
    const a = t.add(1n, 2n);
    const b = t.add(3n, 4n);
    t.release(a);
    const c = t.add(5n, 6n);
    expect(c).toBe(a);
    expect([t.start(c), t.time(c), t.start(b), t.time(b)]).toEqual([5n, 6n, 3n, 4n]);
    expect(t.add(7n, 8n)).not.toBe(b);
  });
});
