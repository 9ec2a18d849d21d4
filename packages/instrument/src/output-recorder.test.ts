import { describe, expect, it } from 'vitest';
import { inferOutputReading, MAX_PROBABILITY_CLASSES, OutputRecorder } from './output-recorder.js';

const classes = (o: OutputRecorder) => Object.fromEntries(o.classes?.entries() ?? []);

describe('OutputRecorder', () => {
  it('probability: score histogram, class by threshold (score ≥ threshold → 1)', () => {
    const o = new OutputRecorder(0.7, undefined);
    expect(o.record('probability', 0.7)).toBe(true);
    expect([o.lastScore, o.lastPredicted]).toEqual([0.7, '1']);
    expect(o.record('probability', 0.69)).toBe(true);
    expect(o.lastPredicted).toBe('0');
    expect(o.record('probability', 'high')).toBe(false);
    expect(o.record('probability', NaN)).toBe(false);
    expect(o.scores?.count).toBe(2);
    expect(classes(o)).toEqual({ '1': 1, '0': 1 });
  });

  it('class: canonical labels (booleans as 1/0, numbers as decimals, strings as is)', () => {
    const o = new OutputRecorder(0.5, undefined);
    for (const v of ['cat', true, false, 2, 'cat']) expect(o.record('class', v)).toBe(true);
    expect(o.record('class', { label: 'x' })).toBe(false);
    expect(classes(o)).toEqual({ cat: 2, '1': 1, '0': 1, '2': 1 });
    expect(o.lastValue).toBeNaN();
  });

  it('regression: value histogram (negatives kept)', () => {
    const o = new OutputRecorder(0.5, undefined);
    for (const v of [-3, 0, 12.5]) o.record('regression', v);
    expect(o.lastValue).toBe(12.5);
    expect([o.values?.count, o.values?.min, o.values?.max]).toEqual([3, -3, 12.5]);
    expect(o.classes).toBeNull();
  });

  it('probabilities: one histogram per class (named by options.classes or index, or by key), predicted class = argmax', () => {
    const named = new OutputRecorder(0.5, ['cat', 'dog', 'bird']);
    named.record('probabilities', [0.2, 0.5, 0.3]);
    named.record('probabilities', new Float32Array([0.6, 0.3, 0.1]));
    expect([...named.probabilities.entries()].map(([k, h]) => [k, h.count])).toEqual([
      ['cat', 2],
      ['dog', 2],
      ['bird', 2],
    ]);
    expect(classes(named)).toEqual({ dog: 1, cat: 1 });
    expect(named.lastScore).toBeNaN(); // not binary
    const binary = new OutputRecorder(0.5, undefined);
    binary.record('probabilities', [0.25, 0.75]);
    expect([binary.lastPredicted, binary.lastScore]).toEqual(['1', 0.75]);
    const keyed = new OutputRecorder(0.5, undefined);
    keyed.record('probabilities', { spam: 0.9, ham: 0.1 });
    expect(keyed.lastPredicted).toBe('spam');
    expect(keyed.record('probabilities', [])).toBe(false);
  });

  it('bounds the per-class histograms', () => {
    const o = new OutputRecorder(0.5, undefined);
    o.record('probabilities', Array.from({ length: 200 }, (_, i) => i / 200));
    expect(o.probabilities.size).toBe(MAX_PROBABILITY_CLASSES + 1);
  });

  it('extracted outputs: score/probability, class/label, value, probabilities', () => {
    const o = new OutputRecorder(0.5, undefined);
    expect(o.record('extracted', { score: 0.8 })).toBe(true);
    expect([o.lastScore, o.lastPredicted]).toEqual([0.8, '1']);
    expect(o.record('extracted', { probability: 0.1, label: 'yes' })).toBe(true);
    expect([o.lastScore, o.lastPredicted]).toEqual([0.1, 'yes']);
    expect(o.record('extracted', { value: 3 })).toBe(true);
    expect(o.lastValue).toBe(3);
    expect(o.record('extracted', { nothing: 1 })).toBe(false);
    expect(o.record('extracted', 5)).toBe(false);
  });

  it('infers the reading from the first result', () => {
    expect(inferOutputReading(0.3)).toBe('probability');
    expect(inferOutputReading(1)).toBe('probability');
    expect(inferOutputReading(-0.5)).toBe('regression');
    expect(inferOutputReading(42)).toBe('regression');
    expect(inferOutputReading('churn')).toBe('class');
    expect(inferOutputReading(false)).toBe('class');
    expect(inferOutputReading([0.1, 0.9])).toBe('probabilities');
    expect(inferOutputReading({ score: 1 })).toBe('extracted');
    expect(inferOutputReading(undefined)).toBeUndefined();
    expect(inferOutputReading(NaN)).toBeUndefined();
  });
});
