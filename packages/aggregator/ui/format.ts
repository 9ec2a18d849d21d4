// Number and time formatting for the report page.

/** A number with `digits` significant digits (fixed notation for ordinary magnitudes), `—` for none. */
export function num(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e6 || abs < 1e-4) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** A ratio as a percentage (`12.5%`), `—` for none. */
export function pct(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${(x * 100).toFixed(digits)}%`;
}

/** An integer count with thousands separators. */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** How long ago an ISO time was, e.g. `4 s ago`, `3 min ago`; `never` for none. */
export function ago(iso: string | null, nowMs: number = Date.now()): string {
  if (iso === null) return 'never';
  const seconds = Math.max(0, (nowMs - Date.parse(iso)) / 1000);
  if (seconds < 90) return `${Math.round(seconds)} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

/** A local wall-clock time, e.g. `14:03:27`. */
export function clock(iso: string | null): string {
  if (iso === null) return '—';
  return new Date(iso).toLocaleTimeString('en-GB', { hour12: false });
}
