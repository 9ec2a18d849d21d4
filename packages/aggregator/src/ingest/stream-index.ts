import type { AttributeValue, Attributes } from '@driftwatch/otlp';
import { attributesKey, valueKey } from './attribute-key.js';

/**
 * A node of the index: below a scope's root the levels alternate between attribute names (`names`) and their values
 * (`strings` for string values, `typed` for the canonical text of any other value). The node reached after the last
 * attribute of a set holds that set's item.
 */
interface IndexNode<T> {
  /** The map of the parent holding this node (the index's scope map for a root), and this node's key in it. */
  readonly home: Map<string, IndexNode<T>>;
  readonly token: string;
  readonly parent: IndexNode<T> | undefined;
  names: Map<string, IndexNode<T>> | undefined;
  strings: Map<string, IndexNode<T>> | undefined;
  typed: Map<string, IndexNode<T>> | undefined;
  item: T | undefined;
}

/** Every node is created with all its fields, in this order: one hidden class, so lookups stay monomorphic. */
function newNode<T>(home: Map<string, IndexNode<T>>, token: string, parent: IndexNode<T> | undefined): IndexNode<T> {
  return { home, token, parent, names: undefined, strings: undefined, typed: undefined, item: undefined };
}

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

/** The attribute names in `attributesKey`'s order (UTF-16 code units, as `Array.prototype.sort`). */
function names(attrs: Attributes): string[] {
  return sortedNames(Object.keys(attrs));
}

/**
 * Sorts attribute names in place by UTF-16 code units — the default `sort()` order — with an insertion sort: points
 * carry a handful of attributes, for which this is several times faster than the generic sort.
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

function isEmpty<T>(node: IndexNode<T>): boolean {
  return node.item === undefined && !node.names?.size && !node.strings?.size && !node.typed?.size;
}

/**
 * Finds the item of a stream (resource, metric, point attributes) without building its key string: a trie over the
 * sorted attribute names and values, below one root per resource and metric. A point costs a sort check of its
 * attribute names and two lookups of short strings per attribute, instead of a ~100-character string to build, hash and
 * compare. The canonical key string (`keyOf`, the persisted stream key) is built only when a stream is new here.
 *
 * Memory: a node (~80 bytes) and a map entry per distinct attribute name and value along each path; paths share their
 * prefixes (model, version). Removing an item prunes the nodes it alone used.
 */
export class StreamIndex<T> {
  private readonly scopes = new Map<string, IndexNode<T>>();

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
    let node: IndexNode<T> | undefined = this.scopes.get(key.scope.prefix);
    if (!node) return undefined;
    const attrs = key.attrs;
    for (const name of names(attrs)) {
      const byName: IndexNode<T> | undefined = node.names?.get(name);
      if (!byName) return undefined;
      const v = attrs[name] as AttributeValue;
      node = typeof v === 'string' ? byName.strings?.get(v) : byName.typed?.get(valueKey(v));
      if (!node) return undefined;
    }
    return node.item;
  }

  /** Links `item` to this stream (replacing any); returns a handle for {@link unlink}. */
  link(key: StreamKey, item: T): object {
    const prefix = key.scope.prefix;
    let node = this.scopes.get(prefix);
    if (!node) {
      node = newNode(this.scopes, prefix, undefined);
      this.scopes.set(prefix, node);
    }
    const attrs = key.attrs;
    for (const name of names(attrs)) {
      const byName: IndexNode<T> = child(node, 'names', name);
      const v = attrs[name] as AttributeValue;
      node = typeof v === 'string' ? child(byName, 'strings', v) : child(byName, 'typed', valueKey(v));
    }
    node.item = item;
    return node;
  }

  /** Unlinks the item behind `handle` and prunes the nodes nothing else uses. */
  unlink(handle: object): void {
    let node = handle as IndexNode<T> | undefined;
    if (node) node.item = undefined;
    while (node && isEmpty(node)) {
      if (node.home.get(node.token) === node) node.home.delete(node.token);
      node = node.parent;
    }
  }

  /** Scopes (resource × metric) with at least one stream. */
  get scopeCount(): number {
    return this.scopes.size;
  }
}

function child<T>(node: IndexNode<T>, level: 'names' | 'strings' | 'typed', token: string): IndexNode<T> {
  let map = node[level];
  if (!map) {
    map = new Map();
    node[level] = map;
  }
  let next = map.get(token);
  if (!next) {
    next = newNode(map, token, node);
    map.set(token, next);
  }
  return next;
}
