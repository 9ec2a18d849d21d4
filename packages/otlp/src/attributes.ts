import type { AttributeValue, Attributes } from './types.js';

/** A mutable attribute map with a null prototype, so keys like `__proto__` or `constructor` are plain data. */
export type MutableAttributes = Record<string, AttributeValue>;

/**
 * A new, empty attribute map with a null prototype. Made as `Object.setPrototypeOf({}, null)`, not `Object.create(null)`:
 * V8 gives the latter dictionary ("slow") properties from the start, the former fast properties with hidden classes
 * shared by maps that get the same names in the same order — as decoded points do — so reading an attribute or its
 * names (`Object.keys`) is an inline-cached load rather than a hash lookup (about half the cost of reading a point's
 * attributes). The semantics are the same: no prototype, so `__proto__` or `constructor` are plain own keys.
 */
export function emptyAttributes(): MutableAttributes {
  return Object.setPrototypeOf({}, null) as MutableAttributes;
}

/** Builds a null-prototype attribute map (what the decoders produce) from plain entries. */
export function createAttributes(entries: Readonly<Record<string, AttributeValue>> = {}): Attributes {
  const map = emptyAttributes();
  for (const key of Object.keys(entries)) map[key] = entries[key] as AttributeValue;
  return map;
}
