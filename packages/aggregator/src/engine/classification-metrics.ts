/** A confusion matrix: counts per (actual, predicted) label pair. */
export type ConfusionCounts = ReadonlyArray<readonly [actual: string, predicted: string, count: number]>;

export interface ClassificationMetrics {
  readonly accuracy: number;
  /** For the positive class (binary), else the macro average over classes; undefined when undefined for every class. */
  readonly precision: number | undefined;
  readonly recall: number | undefined;
  readonly f1: number | undefined;
}

/** The positive class: configured, else `1` or `true` when those labels occur; undefined otherwise. */
export function positiveClassOf(labels: Iterable<string>, configured: string | undefined): string | undefined {
  if (configured !== undefined) return configured;
  const set = new Set(labels);
  for (const candidate of ['1', 'true', 'True', '1.0']) if (set.has(candidate)) return candidate;
  return undefined;
}

function prf(tp: number, fp: number, fn: number): { precision: number | undefined; recall: number | undefined; f1: number | undefined } {
  const precision = tp + fp > 0 ? tp / (tp + fp) : undefined;
  const recall = tp + fn > 0 ? tp / (tp + fn) : undefined;
  const f1 = precision !== undefined && recall !== undefined ? (precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0) : undefined;
  return { precision, recall, f1 };
}

/**
 * Accuracy = Σ diagonal / total. With a positive class (binary): precision = TP / (TP + FP), recall = TP / (TP + FN),
 * F1 = 2PR / (P + R). Without one (multi-class, or labels other than 1/true and none configured): macro averages of
 * the per-class values over the classes where each is defined.
 * Reference: https://scikit-learn.org/stable/modules/model_evaluation.html#precision-recall-f-measure-metrics
 * Cost: O(cells). Returns undefined for an empty matrix.
 */
export function classificationMetrics(cells: ConfusionCounts, positiveClass: string | undefined): ClassificationMetrics | undefined {
  let total = 0;
  let correct = 0;
  const classes = new Set<string>();
  for (const [a, p, c] of cells) {
    total += c;
    if (a === p) correct += c;
    classes.add(a);
    classes.add(p);
  }
  if (total === 0) return undefined;
  const perClass = (cls: string): ReturnType<typeof prf> => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const [a, p, c] of cells) {
      if (a === cls && p === cls) tp += c;
      else if (p === cls) fp += c;
      else if (a === cls) fn += c;
    }
    return prf(tp, fp, fn);
  };
  if (positiveClass !== undefined) return { accuracy: correct / total, ...perClass(positiveClass) };
  const all = [...classes].map(perClass);
  const mean = (xs: Array<number | undefined>): number | undefined => {
    const d = xs.filter((x): x is number => x !== undefined);
    return d.length === 0 ? undefined : d.reduce((s, x) => s + x, 0) / d.length;
  };
  return { accuracy: correct / total, precision: mean(all.map((r) => r.precision)), recall: mean(all.map((r) => r.recall)), f1: mean(all.map((r) => r.f1)) };
}
