/**
 * A configuration value or an incoming payload that does not have the expected shape.
 *
 * `path` names the offending field the way a user would find it in their config or request,
 * e.g. `models.churn.retraining.cooldown`; the message starts with it:
 * `models.churn.retraining.cooldown: "5x" is not a duration`.
 * Configuration code throws it at construction; an HTTP route maps it to 400.
 */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly path: string;

  constructor(path: string, problem: string) {
    super(path === '' ? problem : `${path}: ${problem}`);
    this.path = path;
  }
}

/** Joins a parent path and a key: `joinPath('a.b', 'c')` → `a.b.c`, `joinPath('a', 3)` → `a[3]`. */
export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** A short, quoted rendering of a bad value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
