/**
 * Whether `value` is a promise or a thenable. False for a value that throws when asked (a `then` getter that
 * throws, a revoked proxy): the wrapper hands such a result back as it is instead of throwing.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    if (value instanceof Promise) return true;
    return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}
