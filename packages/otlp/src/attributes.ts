import type { AttributeValue, Attributes } from './types.js';

/** A mutable attribute map with a null prototype, so keys like `__proto__` or `constructor` are plain data. */
export type MutableAttributes = Record<string, AttributeValue>;

export function emptyAttributes(): MutableAttributes {
  return Object.create(null) as MutableAttributes;
}

/** Builds a null-prototype attribute map (what the decoders produce) from plain entries. */
export function createAttributes(entries: Readonly<Record<string, AttributeValue>> = {}): Attributes {
  const map = emptyAttributes();
  for (const key of Object.keys(entries)) map[key] = entries[key] as AttributeValue;
  return map;
}
