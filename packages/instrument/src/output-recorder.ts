import { CategoryCounts, ExponentialHistogram } from '@driftwatch/stats';
import { BoundedTable, labelKey } from './bounded-labels.js';
import type { ExtractedOutput, OutputKind } from './options.js';

/** At most this many classes get their own probability histogram. */
export const MAX_PROBABILITY_CLASSES = 50;

/** How one prediction's output is read: a built-in kind, or fields of an {@link ExtractedOutput}. */
export type OutputReading = OutputKind | 'extracted';

/**
 * The output kind a first result suggests: a number in [0, 1] → probability, another number → regression,
 * string/boolean → class, array of numbers → probabilities, an object → its {@link ExtractedOutput} fields.
 */
export function inferOutputReading(value: unknown): OutputReading | undefined {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) return undefined;
      return value >= 0 && value <= 1 ? 'probability' : 'regression';
    case 'string':
    case 'boolean':
    case 'bigint':
      return 'class';
    case 'object':
      if (value === null) return undefined;
      if (Array.isArray(value) || ArrayBuffer.isView(value)) return 'probabilities';
      return 'extracted';
    default:
      return undefined;
  }
}

/**
 * Output sketches of one model: score and regression-value histograms, predicted-class counts and
 * one histogram per class probability. After each {@link record}, `lastScore`, `lastPredicted` and
 * `lastValue` describe that prediction (read by the feedback join without allocating).
 */
export class OutputRecorder {
  readonly threshold: number;
  readonly classNames: readonly string[] | undefined;
  scores: ExponentialHistogram | null = null;
  values: ExponentialHistogram | null = null;
  classes: CategoryCounts | null = null;
  readonly probabilities = new BoundedTable<ExponentialHistogram>(MAX_PROBABILITY_CLASSES, () => new ExponentialHistogram());
  lastScore = NaN;
  lastPredicted: string | undefined = undefined;
  lastValue = NaN;

  constructor(threshold: number, classNames: readonly string[] | undefined) {
    this.threshold = threshold;
    this.classNames = classNames;
  }

  /** Records one prediction's output read as `reading`. Returns false when it could not be read (nothing recorded). */
  record(reading: OutputReading, output: unknown): boolean {
    this.lastScore = NaN;
    this.lastPredicted = undefined;
    this.lastValue = NaN;
    switch (reading) {
      case 'probability':
        return this.#recordScore(output, true);
      case 'class':
        return this.#recordClass(output);
      case 'regression':
        return this.#recordValue(output);
      case 'probabilities':
        return this.#recordProbabilities(output, true);
      default:
        return this.#recordExtracted(output);
    }
  }

  #recordScore(score: unknown, withClass: boolean): boolean {
    if (typeof score !== 'number' || !Number.isFinite(score)) return false;
    (this.scores ??= new ExponentialHistogram()).record(score);
    this.lastScore = score;
    if (withClass) this.#countClass(score >= this.threshold ? '1' : '0');
    return true;
  }

  #recordClass(label: unknown): boolean {
    const key = labelKey(label);
    if (key === undefined) return false;
    this.#countClass(key);
    return true;
  }

  #countClass(key: string): void {
    (this.classes ??= new CategoryCounts()).record(key);
    this.lastPredicted = key;
  }

  #recordValue(value: unknown): boolean {
    if (typeof value !== 'number' || !Number.isFinite(value)) return false;
    (this.values ??= new ExponentialHistogram()).record(value);
    this.lastValue = value;
    return true;
  }

  #recordProbabilities(probabilities: unknown, withClass: boolean): boolean {
    if (typeof probabilities !== 'object' || probabilities === null) return false;
    let best = -Infinity;
    let bestClass: string | undefined;
    let recorded = 0;
    const visit = (name: string, p: unknown): void => {
      if (typeof p !== 'number' || !Number.isFinite(p)) return;
      this.probabilities.get(name).record(p);
      recorded++;
      if (p > best) {
        best = p;
        bestClass = name;
      }
    };
    if (Array.isArray(probabilities) || ArrayBuffer.isView(probabilities)) {
      const list = probabilities as ArrayLike<unknown>;
      for (let i = 0; i < list.length; i++) visit(this.#className(i), list[i]);
      // a two-class distribution is a binary classifier: its score is P(second class)
      if (list.length === 2 && typeof list[1] === 'number' && Number.isNaN(this.lastScore)) this.lastScore = list[1];
    } else {
      for (const [name, p] of Object.entries(probabilities)) visit(labelKey(name) ?? name, p);
    }
    if (recorded === 0) return false;
    if (withClass && bestClass !== undefined) this.#countClass(bestClass);
    return true;
  }

  #className(i: number): string {
    return this.classNames?.[i] ?? String(i);
  }

  #recordExtracted(output: unknown): boolean {
    if (typeof output !== 'object' || output === null) return false;
    const o = output as ExtractedOutput & { probability?: unknown; label?: unknown };
    let ok = false;
    const hasClass = o.class !== undefined || o.label !== undefined;
    const score = o.score ?? o.probability;
    if (score !== undefined) ok = this.#recordScore(score, !hasClass) || ok;
    if (hasClass) ok = this.#recordClass(o.class ?? o.label) || ok;
    if (o.value !== undefined) ok = this.#recordValue(o.value) || ok;
    if (o.probabilities !== undefined) ok = this.#recordProbabilities(o.probabilities, !hasClass && score === undefined) || ok;
    return ok;
  }
}
