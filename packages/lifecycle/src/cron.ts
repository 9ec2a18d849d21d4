/**
 * A 5-field cron schedule (minute hour day-of-month month day-of-week), evaluated in UTC.
 *
 * Syntax per field: `*`, a value, a range `a-b`, a step `*\/n`, `a-b/n` or `a/n` (a to the field's
 * maximum), and comma-separated lists of those. Months accept `JAN`–`DEC`, days of week `SUN`–`SAT`;
 * day-of-week `7` is Sunday like `0`. Macros: `@yearly`/`@annually`, `@monthly`, `@weekly`,
 * `@daily`/`@midnight`, `@hourly`.
 *
 * Day matching follows Vixie cron: when both day-of-month and day-of-week are restricted (neither
 * field starts with `*`), a day matches if EITHER matches; otherwise both must match.
 */

export interface CronSchedule {
  /** The expression as written (after macro expansion). */
  readonly expression: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday. */
  readonly daysOfWeek: ReadonlySet<number>;
  /** True when the day-of-month field starts with `*` (Vixie cron's DOM_STAR). */
  readonly dayOfMonthStar: boolean;
  /** True when the day-of-week field starts with `*` (Vixie cron's DOW_STAR). */
  readonly dayOfWeekStar: boolean;
}

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Offset added to a name's index (months are 1-based). */
  readonly nameBase?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  // 7 is accepted as Sunday and folded onto 0 after parsing.
  { name: 'day-of-week', min: 0, max: 7, names: DAY_NAMES, nameBase: 0 },
];

/** Thrown for a malformed cron expression; the message says which field and why. */
export class CronSyntaxError extends Error {
  override readonly name = 'CronSyntaxError';
}

function parseValue(text: string, spec: FieldSpec): number {
  const upper = text.toUpperCase();
  if (spec.names !== undefined) {
    const index = spec.names.indexOf(upper);
    if (index >= 0) return index + (spec.nameBase ?? 0);
  }
  if (!/^\d+$/.test(text)) throw new CronSyntaxError(`${spec.name} field: "${text}" is not a number`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    throw new CronSyntaxError(`${spec.name} field: ${value} is outside ${spec.min}-${spec.max}`);
  }
  return value;
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    if (part === '') throw new CronSyntaxError(`${spec.name} field: empty list item in "${text}"`);
    const [rangeText, stepText, extra] = part.split('/');
    if (extra !== undefined || rangeText === undefined || rangeText === '') {
      throw new CronSyntaxError(`${spec.name} field: "${part}" is not a valid item`);
    }
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) {
        throw new CronSyntaxError(`${spec.name} field: step "${stepText}" must be a positive integer`);
      }
      step = Number(stepText);
    }
    let low: number;
    let high: number;
    if (rangeText === '*') {
      low = spec.min;
      high = spec.name === 'day-of-week' ? 6 : spec.max;
    } else if (rangeText.includes('-')) {
      const [a, b, more] = rangeText.split('-');
      if (a === undefined || b === undefined || more !== undefined) {
        throw new CronSyntaxError(`${spec.name} field: "${rangeText}" is not a valid range`);
      }
      low = parseValue(a, spec);
      high = parseValue(b, spec);
      if (low > high) throw new CronSyntaxError(`${spec.name} field: range "${rangeText}" runs backwards`);
    } else {
      low = parseValue(rangeText, spec);
      high = stepText === undefined ? low : spec.max;
    }
    for (let v = low; v <= high; v += step) values.add(spec.name === 'day-of-week' && v === 7 ? 0 : v);
  }
  return values;
}

/** Parses a cron expression; throws {@link CronSyntaxError} naming the bad field. O(1) (fields are bounded). */
export function parseCron(expression: string): CronSchedule {
  const trimmed = expression.trim();
  const expanded = MACROS[trimmed.toLowerCase()] ?? trimmed;
  if (expanded.startsWith('@')) throw new CronSyntaxError(`unknown macro "${trimmed}"`);
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) {
    throw new CronSyntaxError(`expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  }
  const [minute, hour, dom, month, dow] = parts as [string, string, string, string, string];
  const specs = FIELDS as [FieldSpec, FieldSpec, FieldSpec, FieldSpec, FieldSpec];
  return {
    expression: expanded,
    minutes: parseField(minute, specs[0]),
    hours: parseField(hour, specs[1]),
    daysOfMonth: parseField(dom, specs[2]),
    months: parseField(month, specs[3]),
    daysOfWeek: parseField(dow, specs[4]),
    dayOfMonthStar: dom.startsWith('*'),
    dayOfWeekStar: dow.startsWith('*'),
  };
}

function dayMatches(schedule: CronSchedule, date: Date): boolean {
  const domOk = schedule.daysOfMonth.has(date.getUTCDate());
  const dowOk = schedule.daysOfWeek.has(date.getUTCDay());
  if (schedule.dayOfMonthStar || schedule.dayOfWeekStar) return domOk && dowOk;
  return domOk || dowOk;
}

/** True when the UTC minute containing `timeMs` matches the schedule. */
export function cronMatches(schedule: CronSchedule, timeMs: number): boolean {
  const date = new Date(timeMs);
  return (
    schedule.minutes.has(date.getUTCMinutes()) &&
    schedule.hours.has(date.getUTCHours()) &&
    schedule.months.has(date.getUTCMonth() + 1) &&
    dayMatches(schedule, date)
  );
}

const MINUTE_MS = 60_000;
/** How far {@link nextCronMatch} searches before giving up (covers every leap-day schedule). */
const SEARCH_HORIZON_MS = 8 * 366 * 24 * 3_600_000;

/**
 * The start (Unix ms) of the first matching minute strictly after `afterMs`, or `null` when none
 * exists within 8 years (e.g. `0 0 30 2 *`). Skips whole months, days and hours that cannot match,
 * so a search costs at most a few thousand steps.
 */
export function nextCronMatch(schedule: CronSchedule, afterMs: number): number | null {
  const limit = afterMs + SEARCH_HORIZON_MS;
  const d = new Date(Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
  while (d.getTime() <= limit) {
    if (!schedule.months.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(schedule, d)) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!schedule.hours.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!schedule.minutes.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return d.getTime();
  }
  return null;
}
