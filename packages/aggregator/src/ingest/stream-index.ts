import type { AttributeValue, Attributes } from '@driftwatch/otlp';
import { attributesKey, valueKey } from './attribute-key.js';

/**
 * The streams of one resource and metric, as one request's metric sees them: made by {@link StreamIndex.scope} once per
 * metric of a request (its group of streams looked up then), then used for each of its points in turn.
 */
export class StreamScope {
  /** The position of this request's next point (see {@link StreamIndex.find}). */
  next = 0;

  constructor(
    /** The resource's digest. */
    readonly resource: string,
    readonly metric: string,
    /** Its streams, if it has any yet. */
    group: ScopeGroup<unknown> | undefined,
  ) {
    this.group = group;
  }

  group: ScopeGroup<unknown> | undefined;

  /** `resource ␁ metric`: the start of the stream keys of this scope (built on demand: only new streams need it). */
  get prefix(): string {
    return `${this.resource}\u0001${this.metric}`;
  }
}

/** A stream's identity as ingest sees it: its scope and the point's attributes. */
export interface StreamKey {
  readonly scope: StreamScope;
  readonly attrs: Attributes;
}

/** The streams of one scope, and the order their points came in the last time (see {@link StreamIndex.find}). */
export interface ScopeGroup<T> {
  readonly resource: string;
  readonly metric: string;
  readonly items: Map<string, T>;
  /**
   * Position k: the k-th point looked up in the last request of this scope — its attributes as they came (name, value,
   * name, value, … in the point's own order) and its item.
   */
  readonly seen: Array<readonly AttributeValue[] | undefined>;
  readonly order: Array<T | undefined>;
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

/** The attributes of a point as name, value, name, value, … in their own order (what {@link sameAttributes} compares). */
function attributeList(attrs: Attributes): AttributeValue[] {
  const names = Object.keys(attrs);
  const out = new Array<AttributeValue>(2 * names.length);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    out[2 * i] = name;
    out[2 * i + 1] = attrs[name] as AttributeValue;
  }
  return out;
}

/**
 * True when `attrs` holds exactly the names and string values of `seen` (an {@link attributeList}), in the same order:
 * then its short key is that of `seen`'s stream. Anything else — another order, a non-string value — answers false and
 * the caller builds the key. Cost: O(attributes); decoded strings repeat as the same objects, so compares are cheap.
 */
function sameAttributes(attrs: Attributes, seen: readonly AttributeValue[]): boolean {
  const names = Object.keys(attrs);
  if (2 * names.length !== seen.length) return false;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const v = attrs[name];
    if (name !== seen[2 * i] || typeof v !== 'string' || v !== seen[2 * i + 1]) return false;
  }
  return true;
}

/**
 * Finds the item of a stream (resource, metric, point attributes) without building its ~100-character canonical key:
 * one map per resource and metric, keyed by a short key of the attributes (see `shortKeyOf`). The canonical key
 * (`keyOf`, the persisted stream key) is built only for a stream new here. A producer sends the points of a metric in
 * the same order in every export, so each scope also remembers which stream the k-th point of the last request was:
 * that candidate's attributes are compared with the point's (`sameAttributes`) before any key is built.
 *
 * Scopes are found by resource, then metric: two lookups of strings the decoder and the resource digests repeat as the
 * same objects (their hashes cached), where one of a `resource ␁ metric` string built per request would hash it anew.
 *
 * Memory per stream: one map entry and its short key string (~30–60 characters), and a slot of the scope's point order
 * with the attribute list last seen there (~80 bytes); per scope one map entry and its group.
 */
export class StreamIndex<T> {
  private readonly scopes = new Map<string, Map<string, ScopeGroup<T>>>();

  /** The scope of `resource` (a digest) and `metric`: one per metric of a request, its group looked up once. */
  scope(resource: string, metric: string): StreamScope {
    return new StreamScope(resource, metric, this.scopes.get(resource)?.get(metric));
  }

  /** The canonical stream key: `resource ␁ metric ␁ attributesKey(attributes)`. */
  keyOf(key: StreamKey): string {
    return `${key.scope.prefix}\u0001${attributesKey(key.attrs)}`;
  }

  /** The item linked for this stream, if any. Each call is the scope's next point (for the order it remembers). */
  find(key: StreamKey): T | undefined {
    const scope = key.scope;
    const k = scope.next++;
    const group = scope.group as ScopeGroup<T> | undefined;
    if (!group) return undefined;
    const seen = group.seen[k];
    if (seen !== undefined && sameAttributes(key.attrs, seen)) return group.order[k];
    const item = group.items.get(shortKeyOf(key.attrs));
    if (item !== undefined) remember(group, k, key.attrs, item);
    return item;
  }

  /**
   * Links `item` to this stream (replacing any); returns the scope's group and the item's short key, to {@link unlink}
   * it with.
   */
  link(key: StreamKey, item: T): { group: ScopeGroup<T>; short: string } {
    const scope = key.scope;
    let metrics = this.scopes.get(scope.resource);
    if (!metrics) {
      metrics = new Map();
      this.scopes.set(scope.resource, metrics);
    }
    let group = metrics.get(scope.metric);
    if (!group) {
      group = { resource: scope.resource, metric: scope.metric, items: new Map(), seen: [], order: [] };
      metrics.set(scope.metric, group);
    }
    const short = shortKeyOf(key.attrs);
    const replaced = group.items.get(short);
    if (replaced !== undefined) forget(group, replaced);
    group.items.set(short, item);
    scope.group = group as ScopeGroup<unknown>;
    // the scope's last find (a miss) was this point
    if (scope.next > 0) remember(group, scope.next - 1, key.attrs, item);
    return { group, short };
  }

  /** Unlinks the item of `group` with short key `short` (and the scope once empty). */
  unlink(group: ScopeGroup<T>, short: string): void {
    const item = group.items.get(short);
    if (item !== undefined) forget(group, item);
    group.items.delete(short);
    if (group.items.size > 0) return;
    const metrics = this.scopes.get(group.resource);
    if (metrics?.get(group.metric) !== group) return;
    metrics.delete(group.metric);
    if (metrics.size === 0) this.scopes.delete(group.resource);
  }

  /** Scopes (resource × metric) with at least one stream. */
  get scopeCount(): number {
    let n = 0;
    for (const metrics of this.scopes.values()) n += metrics.size;
    return n;
  }
}

/** Remembers that the k-th point of the scope's requests is `item`, with attributes `attrs`. */
function remember<T>(group: ScopeGroup<T>, k: number, attrs: Attributes, item: T): void {
  // positions beyond the map's size would only ever miss: keep the order as long as the streams it can hold
  if (k > group.items.size) return;
  group.seen[k] = attributeList(attrs);
  group.order[k] = item;
}

/** Drops `item` from the remembered order (it is being replaced or unlinked). */
function forget<T>(group: ScopeGroup<T>, item: T): void {
  for (let k = 0; k < group.order.length; k++) {
    if (group.order[k] === item) {
      group.seen[k] = undefined;
      group.order[k] = undefined;
    }
  }
}
