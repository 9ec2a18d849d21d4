/**
 * Durations written the Prometheus way: one or more `<integer><unit>` terms, largest unit first,
 * each unit at most once: `90s`, `5m`, `1h30m`, `2d`, `1w`, `250ms`, or `0`.
 * Units: `ms`, `s`, `m`, `h`, `d` (24 h), `w` (7 d), `y` (365 d).
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  y: 365 * 24 * 3_600_000,
  w: 7 * 24 * 3_600_000,
  d: 24 * 3_600_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
};
const UNIT_ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
const TERM = /(\d+)(ms|y|w|d|h|m|s)/y;

/** Parses a duration to milliseconds, or returns `undefined` when the text is not a duration. */
export function parseDurationMs(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  let totalMs = 0;
  let lastUnitIndex = -1;
  TERM.lastIndex = 0;
  while (TERM.lastIndex < text.length) {
    const at = TERM.lastIndex;
    const match = TERM.exec(text);
    if (match === null || match.index !== at) return undefined;
    const unit = match[2] as string;
    const unitIndex = UNIT_ORDER.indexOf(unit);
    if (unitIndex <= lastUnitIndex) return undefined;
    lastUnitIndex = unitIndex;
    totalMs += Number(match[1]) * (UNIT_MS[unit] as number);
  }
  return Number.isSafeInteger(totalMs) ? totalMs : undefined;
}

/** Renders milliseconds as a duration string (`5400000` → `1h30m`); the inverse of {@link parseDurationMs}. */
export function formatDurationMs(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`formatDurationMs requires a non-negative integer, got ${ms}`);
  if (ms === 0) return '0';
  let rest = ms;
  let out = '';
  for (const unit of UNIT_ORDER) {
    const size = UNIT_MS[unit] as number;
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}
