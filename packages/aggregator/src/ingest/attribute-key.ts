import { createHash } from 'node:crypto';
import type { AttributeValue, Attributes } from '@driftwatch/otlp';

/** A canonical, order-independent string for an attribute value (strings JSON-quoted so separators cannot collide). */
export function valueKey(v: AttributeValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return `n${v}`;
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'bigint') return `i${v}`;
  if (v === null) return 'N';
  if (v instanceof Uint8Array) return `b${Buffer.from(v).toString('hex')}`;
  if (Array.isArray(v)) return `[${v.map(valueKey).join(',')}]`;
  return `{${attributesKey(v as Attributes)}}`;
}

/** A canonical string of an attribute set: keys sorted, values typed and quoted. Cost: O(k log k). */
export function attributesKey(attributes: Attributes): string {
  const keys = Object.keys(attributes).sort();
  let out = '';
  for (const k of keys) out += `${JSON.stringify(k)}:${valueKey(attributes[k] as AttributeValue)};`;
  return out;
}

/** A short stable digest (first 64 bits of SHA-1, hex) used for the resource part of stream keys. */
export function shortDigest(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}

/** Resource keys whose digest is remembered (a model server sends the same resource with every export). */
const DIGEST_CACHE_SIZE = 16_384;
const digestCache = new Map<string, string>();

/**
 * {@link shortDigest}, remembered for the last {@link DIGEST_CACHE_SIZE} distinct texts (oldest forgotten first):
 * one SHA-1 per instance instead of one per export. Memory: at most that many keys and 16-character digests.
 */
export function cachedShortDigest(text: string): string {
  let digest = digestCache.get(text);
  if (digest === undefined) {
    digest = shortDigest(text);
    if (digestCache.size >= DIGEST_CACHE_SIZE) digestCache.delete(digestCache.keys().next().value as string);
    digestCache.set(text, digest);
  }
  return digest;
}

/** A resource seen before: a node per attribute (name, then value) in the order the attributes came. */
interface ResourceNode {
  digest: string | undefined;
  children: Map<string, Map<string, ResourceNode>> | undefined;
}

/** Nodes kept before the tree starts over (about 2 per attribute of each distinct resource). */
const RESOURCE_NODES = 4 * DIGEST_CACHE_SIZE;
let resources: ResourceNode = { digest: undefined, children: undefined };
let resourceNodes = 0;

/**
 * `cachedShortDigest(attributesKey(attributes))` of a resource, remembered in a tree walked by the attribute names and
 * string values themselves, in their own order: a model server sends the same resource, decoded into the same strings,
 * with every export, so a repeat costs one map lookup per name and value instead of building and hashing its key.
 * Resources with non-string values take the keyed path. Memory: bounded by {@link RESOURCE_NODES} nodes.
 */
export function resourceDigest(attributes: Attributes): string {
  if (resourceNodes >= RESOURCE_NODES) {
    resources = { digest: undefined, children: undefined };
    resourceNodes = 0;
  }
  let node = resources;
  for (const name of Object.keys(attributes)) {
    const value = attributes[name];
    if (typeof value !== 'string') return cachedShortDigest(attributesKey(attributes));
    let values = node.children?.get(name);
    if (values === undefined) {
      values = new Map();
      (node.children ??= new Map()).set(name, values);
    }
    let child = values.get(value);
    if (child === undefined) {
      child = { digest: undefined, children: undefined };
      values.set(value, child);
      resourceNodes++;
    }
    node = child;
  }
  node.digest ??= cachedShortDigest(attributesKey(attributes));
  return node.digest;
}
