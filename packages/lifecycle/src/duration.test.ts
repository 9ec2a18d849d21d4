import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDurationMs, parseDurationMs } from './duration.js';

describe('parseDurationMs', () => {
  it('reads single and compound Prometheus durations', () => {
    expect(parseDurationMs('0')).toBe(0);
    expect(parseDurationMs('250ms')).toBe(250);
    expect(parseDurationMs('90s')).toBe(90_000);
    expect(parseDurationMs('5m')).toBe(300_000);
    expect(parseDurationMs('6h')).toBe(21_600_000);
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('2d')).toBe(172_800_000);
    expect(parseDurationMs('1w2d')).toBe(9 * 86_400_000);
    expect(parseDurationMs('1y')).toBe(365 * 86_400_000);
  });

  it('rejects text that is not a duration', () => {
    for (const bad of ['', '5x', '5', 'm', '-5m', '1.5h', '30m1h', '1h1h', '5 m', ' 5m', '5m ', '1hh']) {
      expect(parseDurationMs(bad), bad).toBeUndefined();
    }
  });

  it('round-trips with formatDurationMs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 365 * 86_400_000 }), (ms) => parseDurationMs(formatDurationMs(ms)) === ms),
      { seed: 42, numRuns: 500 },
    );
    expect(formatDurationMs(5_400_000)).toBe('1h30m');
    expect(() => formatDurationMs(-1)).toThrow(RangeError);
  });
});
