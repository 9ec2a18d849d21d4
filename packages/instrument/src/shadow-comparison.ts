import { ExponentialHistogram } from '@driftwatch/stats';
import { labelKey } from './bounded-labels.js';
import type { ExtractedOutput } from './options.js';
import type { OutputReading } from './output-recorder.js';

/** What a prediction's output is compared on: its predicted class and/or its number (score or regression value). */
export interface Comparable {
  /** predicted class in canonical label form (classification) */
  readonly label: string | undefined;
  /** binary score or regression value */
  readonly number: number;
  /** true when `number` is a regression value (compared with the tolerance), false for a score */
  readonly regression: boolean;
}

const NONE: Comparable = { label: undefined, number: NaN, regression: false };

/**
 * Reads one output the way {@link OutputRecorder} records it, without recording: a binary score becomes a
 * class with `threshold`, probabilities their argmax (and, for two classes, the score P(second)), a
 * regression value stays a number. Undefined when nothing comparable can be read.
 */
export function readComparable(reading: OutputReading, output: unknown, threshold: number, classNames: readonly string[] | undefined): Comparable | undefined {
  switch (reading) {
    case 'probability':
      return score(output, threshold);
    case 'class': {
      const label = labelKey(output);
      return label === undefined ? undefined : { ...NONE, label };
    }
    case 'regression':
      return typeof output === 'number' && Number.isFinite(output) ? { label: undefined, number: output, regression: true } : undefined;
    case 'probabilities':
      return argmax(output, classNames);
    default:
      return extracted(output, threshold, classNames);
  }
}

function score(value: unknown, threshold: number): Comparable | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return { label: value >= threshold ? '1' : '0', number: value, regression: false };
}

function argmax(probabilities: unknown, classNames: readonly string[] | undefined): Comparable | undefined {
  if (typeof probabilities !== 'object' || probabilities === null) return undefined;
  let best = -Infinity;
  let bestClass: string | undefined;
  let binaryScore = NaN;
  if (Array.isArray(probabilities) || ArrayBuffer.isView(probabilities)) {
    const list = probabilities as ArrayLike<unknown>;
    for (let i = 0; i < list.length; i++) {
      const p = list[i];
      if (typeof p === 'number' && Number.isFinite(p) && p > best) {
        best = p;
        bestClass = classNames?.[i] ?? String(i);
      }
    }
    if (list.length === 2 && typeof list[1] === 'number') binaryScore = list[1];
  } else {
    for (const [name, p] of Object.entries(probabilities)) {
      if (typeof p === 'number' && Number.isFinite(p) && p > best) {
        best = p;
        bestClass = labelKey(name) ?? name;
      }
    }
  }
  return bestClass === undefined ? undefined : { label: bestClass, number: binaryScore, regression: false };
}

function extracted(output: unknown, threshold: number, classNames: readonly string[] | undefined): Comparable | undefined {
  if (typeof output !== 'object' || output === null) return undefined;
  const o = output as ExtractedOutput & { probability?: unknown; label?: unknown };
  const classValue: unknown = o.class ?? o.label;
  const s: unknown = o.score ?? o.probability;
  const fromScore = s === undefined ? undefined : score(s, threshold);
  if (classValue !== undefined) {
    const label = labelKey(classValue);
    if (label !== undefined) return { label, number: fromScore?.number ?? NaN, regression: false };
  }
  if (fromScore) return fromScore;
  if (typeof o.value === 'number' && Number.isFinite(o.value)) return { label: undefined, number: o.value, regression: true };
  if (o.probabilities !== undefined) return argmax(o.probabilities, classNames);
  return undefined;
}

/** Outcome of comparing a primary and a shadow prediction. */
export type ComparisonOutcome = 'agree' | 'disagree' | 'incomparable';

/**
 * Agreement of two predictions: the same class when both have one; else, for regression values,
 * |p − s| ≤ tolerance × max(|p|, |s|). Incomparable when they share neither.
 */
export function compareOutputs(primary: Comparable, shadow: Comparable, tolerance: number): ComparisonOutcome {
  if (primary.label !== undefined && shadow.label !== undefined) return primary.label === shadow.label ? 'agree' : 'disagree';
  if (primary.regression && shadow.regression) {
    const d = Math.abs(primary.number - shadow.number);
    return d <= tolerance * Math.max(Math.abs(primary.number), Math.abs(shadow.number)) ? 'agree' : 'disagree';
  }
  return 'incomparable';
}

/**
 * What the shadow's series carries beyond a model's usual metrics: agreement counts with the primary,
 * the |primary − shadow| histogram of numeric outputs, and calls dropped because the queue was full.
 */
export class ShadowComparisons {
  agree = 0;
  disagree = 0;
  dropped = 0;
  difference: ExponentialHistogram | null = null;

  /** Compares one pair of predictions and counts the outcome. */
  record(primary: Comparable, shadow: Comparable, tolerance: number): ComparisonOutcome {
    const outcome = compareOutputs(primary, shadow, tolerance);
    if (outcome === 'incomparable') return outcome;
    if (outcome === 'agree') this.agree++;
    else this.disagree++;
    if (Number.isFinite(primary.number) && Number.isFinite(shadow.number)) (this.difference ??= new ExponentialHistogram()).record(Math.abs(primary.number - shadow.number));
    return outcome;
  }
}
