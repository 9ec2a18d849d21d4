import type { AttributeValue, Attributes } from '@driftwatch/otlp';
import { attributesKey, valueKey } from './attribute-key.js';

/** The streams of one resource and metric: looked up once per metric of a request, then per point by attributes. */
export interface StreamScope {
  /** `resource ␁ metric`: the start of the stream keys of this scope. */
  readonly prefix: string;
}

/** A stream's identity as ingest sees it: its scope and the point's attributes. */
export interface StreamKey {
  readonly scope: StreamScope;
  readonly attrs: Attributes;
}

/** Attribute names given a short code (they are few: the semantic conventions' and a producer's own). */
const MAX_NAME_CODES = 4096;
const nameCodes = new Map<string, string>();

/** `␁<n>:` for the n-th attribute name seen (process-wide), or `␃<length>:<name>` once the code table is full. */
function nameCode(name: string): string {
  let code = nameCodes.get(name);
  if (code === undefined) {
    if (nameCodes.size >= MAX_NAME_CODES) return `\u0003${name.length}:${name}`;
    code = `\u0001${nameCodes.size}:`;
    nameCodes.set(name, code);
  }
  return code;
}

/**
 * A short, unambiguous key of an attribute set within a scope: per attribute (sorted by name) the name's code and the
 * length-prefixed value (`<length>:<string>`, or `␄<length>:<valueKey>` for other types). About a third of the length
 * of `attributesKey` (no JSON quoting, no repeated names), so it is built, hashed and compared faster.
 */
function shortKeyOf(attrs: Attributes): string {
  let out = '';
  for (const name of sortedNames(Object.keys(attrs))) {
    const v = attrs[name] as AttributeValue;
    if (typeof v === 'string') out += `${nameCode(name)}${v.length}:${v}`;
    else {
      const k = valueKey(v);
      out += `${nameCode(name)}\u0004${k.length}:${k}`;
    }
  }
  return out;
}

/**
 * Sorts attribute names in place by UTF-16 code units — the default `sort()` order, which `attributesKey` uses — with
 * an insertion sort: points carry a handful of attributes, for which this is several times faster than the generic sort.
 */
export function sortedNames(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > k) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/**
 * Finds the item of a stream (resource, metric, point attributes) without building its ~100-character canonical key:
 * one map per resource and metric, keyed by a short key of the attributes (see `shortKeyOf`). The canonical key
 * (`keyOf`, the persisted stream key) is built only for a stream new here.
 *
 * Memory per stream: one map entry and its short key string (~30–60 characters); per scope one map.
 */
export class StreamIndex<T> {
  private readonly scopes = new Map<string, Map<string, T>>();

  /** The scope of `resource` (a digest) and `metric`: one string per metric of a request, hashed once. */
  scope(resource: string, metric: string): StreamScope {
    return { prefix: `${resource}\u0001${metric}` };
  }

  /** The canonical stream key: `resource ␁ metric ␁ attributesKey(attributes)`. */
  keyOf(key: StreamKey): string {
    return `${key.scope.prefix}\u0001${attributesKey(key.attrs)}`;
  }

  /** The item linked for this stream, if any. */
  find(key: StreamKey): T | undefined {
    return this.scopes.get(key.scope.prefix)?.get(shortKeyOf(key.attrs));
  }

  /** Links `item` to this stream (replacing any); returns its short key, to {@link unlink} it with the scope's prefix. */
  link(key: StreamKey, item: T): string {
    const prefix = key.scope.prefix;
    let items = this.scopes.get(prefix);
    if (!items) {
      items = new Map();
      this.scopes.set(prefix, items);
    }
    const short = shortKeyOf(key.attrs);
    items.set(short, item);
    return short;
  }

  /** Unlinks the item of scope `prefix` and short key `short` (and the scope once empty). */
  unlink(prefix: string, short: string): void {
    const items = this.scopes.get(prefix);
    if (!items) return;
    items.delete(short);
    if (items.size === 0) this.scopes.delete(prefix);
  }

  /** Scopes (resource × metric) with at least one stream. */
  get scopeCount(): number {
    return this.scopes.size;
  }
}
