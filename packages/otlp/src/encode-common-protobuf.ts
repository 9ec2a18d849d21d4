import type { ProtoWriter } from './proto-writer.js';
import type { AttributeValue, Attributes, InstrumentationScope, Resource } from './types.js';

/**
 * Writes an `AnyValue`. Numbers that are safe integers are written as `int_value`, other numbers as
 * `double_value` (the decoded model does not distinguish them); `null` is an AnyValue with no value set.
 */
export function writeAnyValue(w: ProtoWriter, v: AttributeValue): void {
  if (v === null) return;
  switch (typeof v) {
    case 'string':
      w.tag(1, 2).string(v);
      return;
    case 'boolean':
      w.tag(2, 0).varint(v ? 1 : 0);
      return;
    case 'bigint':
      w.tag(3, 0).int64(v);
      return;
    case 'number':
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) w.tag(3, 0).int64(v);
      else w.tag(4, 1).double(v);
      return;
    default:
      break;
  }
  if (v instanceof Uint8Array) {
    w.tag(7, 2).bytes(v);
  } else if (Array.isArray(v)) {
    w.message(5, () => {
      for (const item of v) w.message(1, () => writeAnyValue(w, item));
    });
  } else {
    w.message(6, () => writeKeyValues(w, 1, v));
  }
}

/** Writes each entry of `attributes` as a `KeyValue` in repeated field `field`. */
export function writeKeyValues(w: ProtoWriter, field: number, attributes: Attributes): void {
  for (const key of Object.keys(attributes)) {
    const value = attributes[key] as AttributeValue;
    w.message(field, () => {
      if (key !== '') w.tag(1, 2).string(key);
      w.message(2, () => writeAnyValue(w, value));
    });
  }
}

export function writeResource(w: ProtoWriter, field: number, resource: Resource): void {
  w.message(field, () => writeKeyValues(w, 1, resource.attributes));
}

export function writeScope(w: ProtoWriter, field: number, scope: InstrumentationScope): void {
  w.message(field, () => {
    if (scope.name !== '') w.tag(1, 2).string(scope.name);
    if (scope.version !== '') w.tag(2, 2).string(scope.version);
    writeKeyValues(w, 3, scope.attributes);
  });
}
