/**
 * Input checks shared by the drift tests. Bad statistical input throws a plain `Error` whose message names the
 * test and the problem, e.g. "psi requires at least 1 data point" or "ksTest: reference contains NaN at index 3".
 */

/** Which side of the comparison a sample is. */
export type SampleRole = 'reference' | 'current';

/** Throws unless `values` is a non-empty array of finite numbers. Cost: O(n). */
export function assertNumericSample(test: string, role: SampleRole, values: readonly unknown[], minLength = 1): asserts values is readonly number[] {
  assertLength(test, role, values, minLength);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') throw new Error(`${test}: ${role} contains a non-number (${describe(v)}) at index ${i}`);
    if (Number.isNaN(v)) throw new Error(`${test}: ${role} contains NaN at index ${i}`);
    if (!Number.isFinite(v)) throw new Error(`${test}: ${role} contains ${v > 0 ? 'Infinity' : '-Infinity'} at index ${i}`);
  }
}

/** Throws unless `values` is a non-empty array of strings. Cost: O(n). */
export function assertStringSample(test: string, role: SampleRole, values: readonly unknown[]): asserts values is readonly string[] {
  assertLength(test, role, values, 1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'string') throw new Error(`${test}: ${role} mixes strings and other values (${describe(v)} at index ${i})`);
  }
}

/** Kind of a raw sample: numbers are numeric, strings categorical; anything else throws. */
export function sampleKind(test: string, role: SampleRole, values: readonly unknown[]): 'numeric' | 'categorical' {
  assertLength(test, role, values, 1);
  const first = values[0];
  if (typeof first === 'string') return 'categorical';
  if (typeof first === 'number') return 'numeric';
  throw new Error(`${test}: ${role} must hold numbers or strings, got ${describe(first)} at index 0`);
}

function assertLength(test: string, role: SampleRole, values: readonly unknown[], minLength: number): void {
  if (!Array.isArray(values)) throw new Error(`${test}: ${role} must be an array`);
  if (values.length < minLength) {
    throw new Error(`${test} requires at least ${minLength} data point${minLength === 1 ? '' : 's'} in ${role}, got ${values.length}`);
  }
}

/** Throws unless `threshold` is undefined or a finite number; returns the threshold to use. */
export function resolveThreshold(test: string, threshold: number | undefined, defaultThreshold: number): number {
  if (threshold === undefined) return defaultThreshold;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new Error(`${test}: options.threshold must be a finite number, got ${describe(threshold)}`);
  }
  return threshold;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v);
  if (Array.isArray(v)) return 'an array';
  return String(v);
}
