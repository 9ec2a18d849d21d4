/** Milliseconds per unit of the duration syntax (`500ms`, `15s`, `5m`, `1h`, `7d`). */
const UNIT_MS: ReadonlyMap<string, number> = new Map([
  ['ms', 1],
  ['s', 1_000],
  ['m', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
]);

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/**
 * Parses a duration like `15m`, `1h` or `24h` into milliseconds.
 * Returns `undefined` when the text is not a positive duration (the caller names the field in its error).
 */
export function parseDurationMs(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  const unitMs = UNIT_MS.get(match[2] ?? '');
  if (unitMs === undefined || !Number.isFinite(value) || value <= 0) return undefined;
  const ms = value * unitMs;
  return Number.isInteger(ms) ? ms : undefined;
}

/** Formats milliseconds with the largest unit that divides them exactly (`3600000` → `1h`). */
export function formatDurationMs(ms: number): string {
  for (const [unit, unitMs] of [...UNIT_MS].reverse()) {
    if (ms >= unitMs && ms % unitMs === 0) return `${ms / unitMs}${unit}`;
  }
  return `${ms}ms`;
}
