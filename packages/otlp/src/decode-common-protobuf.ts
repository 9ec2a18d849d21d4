import { emptyAttributes } from './attributes.js';
import type { MutableAttributes } from './attributes.js';
import { OtlpDecodeError, rethrowAt } from './otlp-decode-error.js';
import type { ProtoReader } from './proto-reader.js';
import type { AttributeValue, InstrumentationScope, Resource } from './types.js';

/** Deepest AnyValue nesting (arrays / key-value lists inside each other) accepted by the decoders. */
export const MAX_ANY_VALUE_DEPTH = 32;


/**
 * Decodes one `KeyValue` (key = 1, value = 2) into `into`. A later duplicate key replaces an earlier one;
 * a KeyValue without a value stores `null`.
 */
export function readKeyValueInto(r: ProtoReader, end: number, into: MutableAttributes, depth: number): void {
  let key = '';
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) key = r.string(end);
    else if (tag === 0x12) {
      const e = r.lengthEnd(end);
      try {
        value = readAnyValue(r, e, depth);
      } catch (err) {
        rethrowAt(err, 'value');
      }
    } else r.skip(tag, end);
  }
  into[key] = value;
}

/** Decodes a repeated-KeyValue field occurrence into `into`, adding the `name[index]` path on errors. */
export function readAttribute(r: ProtoReader, end: number, into: MutableAttributes, name: string, index: number): void {
  const e = r.lengthEnd(end);
  try {
    readKeyValueInto(r, e, into, 0);
  } catch (err) {
    rethrowAt(err, name, index);
  }
}

/** Decodes an `AnyValue` oneof. The last value field present wins (protobuf oneof semantics). */
export function readAnyValue(r: ProtoReader, end: number, depth: number): AttributeValue {
  if (depth > MAX_ANY_VALUE_DEPTH) throw new OtlpDecodeError(`AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case 0x0a: // string_value = 1
        value = r.string(end);
        break;
      case 0x10: // bool_value = 2
        value = r.bool(end);
        break;
      case 0x18: // int_value = 3
        value = r.int64Exact(end);
        break;
      case 0x21: // double_value = 4
        value = r.double(end);
        break;
      case 0x2a: {
        // array_value = 5: ArrayValue { repeated AnyValue values = 1 }
        const e = r.lengthEnd(end);
        const items: AttributeValue[] = [];
        try {
          while (r.pos < e) {
            const t = r.tag(e);
            if (t === 0x0a) {
              const ie = r.lengthEnd(e);
              try {
                items.push(readAnyValue(r, ie, depth + 1));
              } catch (err) {
                rethrowAt(err, 'values', items.length);
              }
            } else r.skip(t, e);
          }
        } catch (err) {
          rethrowAt(err, 'arrayValue');
        }
        value = items;
        break;
      }
      case 0x32: {
        // kvlist_value = 6: KeyValueList { repeated KeyValue values = 1 }
        const e = r.lengthEnd(end);
        const map = emptyAttributes();
        let n = 0;
        try {
          while (r.pos < e) {
            const t = r.tag(e);
            if (t === 0x0a) {
              const ie = r.lengthEnd(e);
              try {
                readKeyValueInto(r, ie, map, depth + 1);
              } catch (err) {
                rethrowAt(err, 'values', n);
              }
              n++;
            } else r.skip(t, e);
          }
        } catch (err) {
          rethrowAt(err, 'kvlistValue');
        }
        value = map;
        break;
      }
      case 0x3a: // bytes_value = 7
        value = r.bytes(end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return value;
}

/** Decodes a `Resource` (attributes = 1; dropped_attributes_count and entity_refs are ignored). */
export function readResource(r: ProtoReader, end: number): Resource {
  const attributes = emptyAttributes();
  let n = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) readAttribute(r, end, attributes, 'attributes', n++);
    else r.skip(tag, end);
  }
  return { attributes };
}

/** Decodes an `InstrumentationScope` (name = 1, version = 2, attributes = 3). */
export function readScope(r: ProtoReader, end: number): InstrumentationScope {
  let name = '';
  let version = '';
  const attributes = emptyAttributes();
  let n = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) name = r.string(end);
    else if (tag === 0x12) version = r.string(end);
    else if (tag === 0x1a) readAttribute(r, end, attributes, 'attributes', n++);
    else r.skip(tag, end);
  }
  return { name, version, attributes };
}

export function emptyResource(): Resource {
  return { attributes: emptyAttributes() };
}

export function emptyScope(): InstrumentationScope {
  return { name: '', version: '', attributes: emptyAttributes() };
}

/** Runs `read` over the length-delimited sub-message at the cursor, adding `name` to the path on errors. */
export function readMessage<T>(r: ProtoReader, end: number, name: string, read: (r: ProtoReader, end: number) => T): T {
  const e = r.lengthEnd(end);
  try {
    return read(r, e);
  } catch (err) {
    rethrowAt(err, name);
  }
}
