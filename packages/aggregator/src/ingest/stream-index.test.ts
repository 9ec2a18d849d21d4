import type { AttributeValue, Attributes } from '@driftwatch/otlp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attributesKey, cachedShortDigest, resourceDigest } from './attribute-key.js';
import { StreamIndex, sortedNames } from './stream-index.js';
import { StreamStore, TEMPORALITY_CUMULATIVE as CUM } from './stream-store.js';

function attrs(entries: ReadonlyArray<readonly [string, AttributeValue]>): Attributes {
  const out = Object.create(null) as Record<string, AttributeValue>;
  for (const [k, v] of entries) out[k] = v;
  return out;
}

describe('StreamIndex', () => {
  it('finds an item by scope and attributes in any attribute order, and keys it as attributesKey does', () => {
    const index = new StreamIndex<string>();
    const scope = index.scope('res', 'ml.model.feature.value');
    const a = attrs([
      ['ml.model.name', 'churn'],
      ['ml.model.version', '3'],
      ['ml.feature.name', 'age'],
    ]);
    index.link({ scope, attrs: a }, 'age');
    const reordered = attrs([
      ['ml.feature.name', 'age'],
      ['ml.model.version', '3'],
      ['ml.model.name', 'churn'],
    ]);
    expect(index.find({ scope: index.scope('res', 'ml.model.feature.value'), attrs: reordered })).toBe('age');
    expect(index.keyOf({ scope, attrs: reordered })).toBe(`res\u0001ml.model.feature.value\u0001${attributesKey(a)}`);
    // another scope, another value, a subset or a superset of the attributes: other streams
    expect(index.find({ scope: index.scope('res2', 'ml.model.feature.value'), attrs: a })).toBeUndefined();
    expect(index.find({ scope, attrs: attrs([['ml.model.name', 'churn']]) })).toBeUndefined();
    expect(index.find({ scope, attrs: attrs([...Object.entries(a), ['ml.deployment.role', 'canary']]) })).toBeUndefined();
  });

  it('keeps a string apart from a typed value of the same text, and names like __proto__ as plain data', () => {
    const index = new StreamIndex<string>();
    const scope = index.scope('r', 'm');
    index.link({ scope, attrs: attrs([['x', 'n5']]) }, 'string');
    index.link({ scope, attrs: attrs([['x', 5]]) }, 'number');
    index.link({ scope, attrs: attrs([['__proto__', 'constructor']]) }, 'proto');
    expect(index.find({ scope, attrs: attrs([['x', 'n5']]) })).toBe('string');
    expect(index.find({ scope, attrs: attrs([['x', 5]]) })).toBe('number');
    expect(index.find({ scope, attrs: attrs([['x', 5n]]) })).toBeUndefined();
    expect(index.find({ scope, attrs: attrs([['__proto__', 'constructor']]) })).toBe('proto');
    expect(({} as Record<string, unknown>)['constructor']).toBe(Object);
  });

  it('unlinks an item, and its scope with the last one', () => {
    const index = new StreamIndex<number>();
    const scope = index.scope('r', 'm');
    const other = index.scope('r2', 'm');
    const one = index.link({ scope, attrs: attrs([['a', '1'], ['b', 'x']]) }, 1);
    const two = index.link({ scope, attrs: attrs([['a', '1'], ['b', 'y']]) }, 2);
    const three = index.link({ scope: other, attrs: attrs([['a', '1']]) }, 3);
    expect(index.scopeCount).toBe(2);
    expect(two.group).toBe(one.group);
    index.unlink(one.group, one.short);
    expect(index.find({ scope, attrs: attrs([['a', '1'], ['b', 'x']]) })).toBeUndefined();
    expect(index.find({ scope, attrs: attrs([['a', '1'], ['b', 'y']]) })).toBe(2);
    index.unlink(two.group, two.short);
    index.unlink(three.group, three.short);
    expect(index.scopeCount).toBe(0);
  });

  it('remembers which stream each point of a request was, and never mistakes another attribute set for it', () => {
    const index = new StreamIndex<string>();
    const request = (...sets: Array<Array<readonly [string, AttributeValue]>>): Array<string | undefined> => {
      const scope = index.scope('res', 'm');
      return sets.map((entries) => {
        const key = { scope, attrs: attrs(entries) };
        const found = index.find(key);
        if (found !== undefined) return found;
        const name = entries.map(([k, v]) => `${k}=${String(v)}`).join(',');
        index.link(key, name);
        return `new ${name}`;
      });
    };
    const a: Array<readonly [string, AttributeValue]> = [['f', 'a'], ['m', 'x']];
    const b: Array<readonly [string, AttributeValue]> = [['f', 'b'], ['m', 'x']];
    expect(request(a, b)).toEqual(['new f=a,m=x', 'new f=b,m=x']);
    expect(request(a, b)).toEqual(['f=a,m=x', 'f=b,m=x']);
    // the same positions with other points: swapped, reordered attributes, a superset, a typed value, a new stream
    expect(request(b, a)).toEqual(['f=b,m=x', 'f=a,m=x']);
    expect(request([['m', 'x'], ['f', 'a']], [...b, ['r', 'canary']])).toEqual(['f=a,m=x', 'new f=b,m=x,r=canary']);
    expect(request([['f', 'a']], [['f', 'b'], ['m', 'x']])).toEqual(['new f=a', 'f=b,m=x']);
    expect(request([['f', 'a'], ['m', 5]], b)).toEqual(['new f=a,m=5', 'f=b,m=x']);
    // an unlinked stream is not found through the order it left behind
    const scope = index.scope('res', 'm');
    const { group, short } = index.link({ scope, attrs: attrs(a) }, 'f=a,m=x');
    index.unlink(group, short);
    expect(request(a)).toEqual(['new f=a,m=x']);
  });

  it('digests a resource as the digest of its canonical key, whatever the order or type of its attributes', () => {
    const sets: Array<Array<readonly [string, AttributeValue]>> = [
      [],
      [['service.name', 'svc'], ['service.instance.id', 'i-1']],
      [['service.instance.id', 'i-1'], ['service.name', 'svc']],
      [['service.name', 'svc']],
      [['service.name', 'svc'], ['service.instance.id', 'i-2']],
      [['service.name', 'svc'], ['n', 5]],
      [['__proto__', 'x']],
    ];
    for (let round = 0; round < 2; round++) {
      for (const entries of sets) expect(resourceDigest(attrs(entries))).toBe(cachedShortDigest(attributesKey(attrs(entries))));
    }
    expect(resourceDigest(attrs(sets[1] as never))).toBe(resourceDigest(attrs(sets[2] as never)));
    expect(resourceDigest(attrs(sets[1] as never))).not.toBe(resourceDigest(attrs(sets[4] as never)));
  });

  it('keys never collide across names, values and types (length-prefixed values, coded names)', () => {
    const index = new StreamIndex<string>();
    const scope = index.scope('r', 'm');
    const sets: Array<Array<readonly [string, AttributeValue]>> = [
      [['a', '1:b']],
      [['a', '1'], ['b', '']],
      [['a', '12']],
      [['a', 12]],
      [['a', '']],
      [['ab', '']],
      [['a', true]],
      [['a', 'T']],
      [['a', [1, 2]]],
      [['a', '[n1,n2]']],
    ];
    sets.forEach((set, i) => index.link({ scope, attrs: attrs(set) }, `set ${i}`));
    sets.forEach((set, i) => expect(index.find({ scope, attrs: attrs(set) }), JSON.stringify(set)).toBe(`set ${i}`));
  });

  it('sorts attribute names exactly like Array.prototype.sort', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 6 }), { maxLength: 24 }), (names) => {
        expect(sortedNames([...names])).toEqual([...names].sort());
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('StreamStore through the index', () => {
  it('finds streams restored by their persisted key string, so the next point is diffed, not taken whole', () => {
    const before = new StreamStore(100, 60_000);
    const scope = before.scope('res', 'ml.model.predictions');
    const a = attrs([
      ['ml.model.name', 'churn'],
      ['ml.model.version', '3'],
    ]);
    expect(before.sum({ scope, attrs: a }, 1n, 10n, 5, CUM, 0)).toEqual({ verdict: 'first', delta: 5 });
    const rows = before.takeChanges().upserts;
    expect(rows.map((r) => r.key)).toEqual([`res\u0001ml.model.predictions\u0001${attributesKey(a)}`]);
    const after = new StreamStore(100, 60_000);
    after.restore(rows);
    expect(after.sum({ scope: after.scope('res', 'ml.model.predictions'), attrs: a }, 1n, 20n, 8, CUM, 0)).toEqual({ verdict: 'delta', delta: 3 });
    expect(after.sum({ scope: after.scope('res', 'ml.model.predictions'), attrs: a }, 1n, 30n, 9, CUM, 0)).toEqual({ verdict: 'delta', delta: 1 });
    expect(after.size).toBe(1);
  });

  it('forgets idle streams from the index too, and counts the limit with them', () => {
    const s = new StreamStore(1, 1_000);
    const key = (v: string) => ({ scope: s.scope('r', 'm'), attrs: attrs([['ml.model.name', v]]) });
    expect(s.sum(key('a'), 1n, 10n, 1, CUM, 0).verdict).toBe('first');
    expect(s.sum(key('b'), 1n, 10n, 1, CUM, 0).verdict).toBe('full');
    expect(s.sweep(5_000)).toBe(1);
    expect(s.sum(key('b'), 1n, 10n, 1, CUM, 5_000).verdict).toBe('first');
    expect(s.sum(key('a'), 1n, 20n, 2, CUM, 5_000).verdict).toBe('full');
  });
});
