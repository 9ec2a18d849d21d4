import { ERROR_TYPE_OTHER } from './conventions.js';

/**
 * `error.type` of a thrown value: the class name of an Error (or of any object whose constructor has a name,
 * `Error`, `TypeError`, `ValidationError`, …), else `_OTHER` (strings, numbers, null-prototype objects).
 */
export function errorType(error: unknown): string {
  if (typeof error !== 'object' || error === null) return ERROR_TYPE_OTHER;
  try {
    const name: unknown = (error as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name !== '' && name !== 'Object') return name.length > 256 ? name.slice(0, 256) : name;
  } catch {
    // a hostile getter: fall through
  }
  return ERROR_TYPE_OTHER;
}
