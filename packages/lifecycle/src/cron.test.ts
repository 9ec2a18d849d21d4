import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CronSyntaxError, cronMatches, nextCronMatch, parseCron } from './cron.js';

const at = (iso: string): number => Date.parse(iso);
const next = (expr: string, afterIso: string): string | null => {
  const ms = nextCronMatch(parseCron(expr), at(afterIso));
  return ms === null ? null : new Date(ms).toISOString();
};

describe('parseCron', () => {
  it('expands lists, ranges, steps and names', () => {
    const s = parseCron('*/15 9-17/4 1,15 JAN-mar mon-FRI');
    expect([...s.minutes]).toEqual([0, 15, 30, 45]);
    expect([...s.hours]).toEqual([9, 13, 17]);
    expect([...s.daysOfMonth]).toEqual([1, 15]);
    expect([...s.months]).toEqual([1, 2, 3]);
    expect([...s.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect(s.dayOfMonthStar).toBe(false);
  });

  it('treats day-of-week 7 as Sunday and a/n as a..max', () => {
    expect([...parseCron('0 0 * * 7').daysOfWeek]).toEqual([0]);
    expect([...parseCron('0 0 * * 5-7').daysOfWeek].sort()).toEqual([0, 5, 6]);
    expect([...parseCron('50/5 * * * *').minutes]).toEqual([50, 55]);
    expect([...parseCron('* * * * *').daysOfWeek]).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('expands macros', () => {
    expect(parseCron('@daily').expression).toBe('0 0 * * *');
    expect(parseCron('@hourly').expression).toBe('0 * * * *');
    expect(parseCron('@weekly').expression).toBe('0 0 * * 0');
    expect(parseCron('@monthly').expression).toBe('0 0 1 * *');
    expect(parseCron('@annually').expression).toBe('0 0 1 1 *');
  });

  it('rejects malformed expressions naming the field', () => {
    const cases: Array<[string, RegExp]> = [
      ['* * * *', /expected 5 fields/],
      ['* * * * * *', /expected 5 fields/],
      ['60 * * * *', /minute field: 60 is outside 0-59/],
      ['* 24 * * *', /hour field/],
      ['* * 0 * *', /day-of-month field/],
      ['* * * 13 *', /month field/],
      ['* * * * 8', /day-of-week field/],
      ['*/0 * * * *', /step "0"/],
      ['5-1 * * * *', /runs backwards/],
      ['a * * * *', /minute field: "a" is not a number/],
      ['1,,2 * * * *', /empty list item/],
      ['1/2/3 * * * *', /not a valid item/],
      ['@reboot', /unknown macro/],
    ];
    for (const [expr, message] of cases) {
      expect(() => parseCron(expr), expr).toThrow(CronSyntaxError);
      expect(() => parseCron(expr), expr).toThrow(message);
    }
  });
});

describe('cronMatches / nextCronMatch', () => {
  it('matches in UTC at minute resolution', () => {
    const s = parseCron('30 3 * * *');
    expect(cronMatches(s, at('2024-05-06T03:30:00Z'))).toBe(true);
    expect(cronMatches(s, at('2024-05-06T03:30:59.999Z'))).toBe(true);
    expect(cronMatches(s, at('2024-05-06T03:31:00Z'))).toBe(false);
  });

  it('finds the next run strictly after the given time', () => {
    expect(next('30 3 * * *', '2024-05-06T03:29:59Z')).toBe('2024-05-06T03:30:00.000Z');
    expect(next('30 3 * * *', '2024-05-06T03:30:00Z')).toBe('2024-05-07T03:30:00.000Z');
    expect(next('0 * * * *', '2024-12-31T23:59:00Z')).toBe('2025-01-01T00:00:00.000Z');
  });

  it('handles month ends and leap days', () => {
    expect(next('0 0 31 * *', '2024-04-01T00:00:00Z')).toBe('2024-05-31T00:00:00.000Z');
    expect(next('0 0 29 2 *', '2024-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
    expect(next('0 0 30 2 *', '2024-01-01T00:00:00Z')).toBeNull();
  });

  it('ORs day-of-month and day-of-week when both are restricted (Vixie cron)', () => {
    // 13th of the month OR Friday: Fri 2024-09-06 comes before Fri 13th in September.
    expect(next('0 0 13 * 5', '2024-09-01T00:00:00Z')).toBe('2024-09-06T00:00:00.000Z');
    expect(next('0 0 13 * 5', '2024-09-07T00:00:00Z')).toBe('2024-09-13T00:00:00.000Z');
    // Day-of-week starting with * means AND: `*/2` days-of-week (Sun, Tue, Thu, Sat) on the 13th only.
    expect(next('0 0 13 * */2', '2024-09-01T00:00:00Z')).toBe('2024-10-13T00:00:00.000Z');
  });

  it('finds weekly runs', () => {
    expect(next('0 3 * * MON', '2024-05-06T03:00:00Z')).toBe('2024-05-13T03:00:00.000Z');
  });

  it('agrees with a minute-by-minute scan (property)', () => {
    const field = (min: number, max: number) =>
      fc.oneof(
        fc.constant('*'),
        fc.integer({ min, max }).map(String),
        fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
        fc.integer({ min: 2, max: 7 }).map((n) => `*/${n}`),
      );
    const expr = fc.tuple(field(0, 59), field(0, 23), field(1, 31), field(1, 12), field(0, 6)).map((parts) => parts.join(' '));
    fc.assert(
      fc.property(expr, fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2026, 0, 1) }), (e, startMs) => {
        const schedule = parseCron(e);
        const found = nextCronMatch(schedule, startMs);
        // Scan at most 3 days minute by minute.
        let t = Math.floor(startMs / 60_000) * 60_000 + 60_000;
        for (let i = 0; i < 3 * 1440; i++, t += 60_000) {
          if (cronMatches(schedule, t)) return found === t;
        }
        return found === null || found > t - 60_000;
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
