/**
 * Binary logistic regression with an L2 penalty, fitted by Newton's method
 * (equivalently IRLS) with a backtracking line search. Deterministic: the
 * same data and options always give the same weights.
 *
 * Model: P(y = 1 | x) = σ(b + w·x), σ(η) = 1 / (1 + e^−η).
 * Objective (minimised), over n rows:
 *   J(b, w) = (1/n) Σᵢ [log(1 + e^ηᵢ) − yᵢ ηᵢ] + (λ/2) ‖w‖²,  ηᵢ = b + w·xᵢ
 * (the intercept b is not penalised). With θ = (b, w) and x̃ = (1, x):
 *   gradient g = (1/n) Σᵢ (pᵢ − yᵢ) x̃ᵢ + λ (0, w)
 *   Hessian  H = (1/n) Σᵢ pᵢ(1 − pᵢ) x̃ᵢ x̃ᵢᵀ + λ diag(0, 1, …, 1)
 *   step     θ ← θ − t H⁻¹ g, t halved until J decreases enough (Armijo)
 * J is convex (strictly so for λ > 0), so Newton converges quadratically
 * near the optimum. Reference: Hastie, Tibshirani & Friedman, The Elements
 * of Statistical Learning, §4.4.1; https://en.wikipedia.org/wiki/Logistic_regression
 *
 * Cost: O(n·d²) per iteration to build H plus O(d³) to solve, for d columns;
 * typically under 10 iterations.
 */
import { choleskySolve } from './cholesky.js';

export interface LogisticRegressionOptions {
  /** L2 penalty λ on the weights (not the intercept); default 1e-3 */
  l2?: number;
  /** default 50 */
  maxIterations?: number;
  /** stop after a step whose half Newton decrement, gᵀH⁻¹g / 2, is below this; default 1e-10 */
  tolerance?: number;
}

export interface LogisticRegressionFit {
  intercept: number;
  weights: number[];
  /** Newton iterations taken */
  iterations: number;
  converged: boolean;
  /** the objective J at the returned parameters */
  loss: number;
}

/** σ(η) = 1 / (1 + e^−η), computed without overflow. */
export function sigmoid(eta: number): number {
  if (eta >= 0) return 1 / (1 + Math.exp(-eta));
  const e = Math.exp(eta);
  return e / (1 + e);
}

/** log(1 + e^η) without overflow. */
function softplus(eta: number): number {
  return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
}

/** σ(b + w·x): the model's probability for one row. O(d). */
export function logisticProbability(intercept: number, weights: ArrayLike<number>, x: ArrayLike<number>): number {
  if (x.length !== weights.length) throw new Error(`logisticProbability: row has ${x.length} values, expected ${weights.length}`);
  let eta = intercept;
  for (let j = 0; j < weights.length; j++) eta += (weights[j] as number) * (x[j] as number);
  return sigmoid(eta);
}

/** J(θ) for θ = (b, w). O(n·d). */
function objective(theta: Float64Array, x: readonly ArrayLike<number>[], y: readonly number[], l2: number): number {
  const d = theta.length - 1;
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const row = x[i] as ArrayLike<number>;
    let eta = theta[0] as number;
    for (let j = 0; j < d; j++) eta += (theta[j + 1] as number) * (row[j] as number);
    total += softplus(eta) - (y[i] as number) * eta;
  }
  let penalty = 0;
  for (let j = 1; j <= d; j++) penalty += (theta[j] as number) ** 2;
  return total / x.length + (l2 / 2) * penalty;
}

/**
 * Fits the model to rows `x` (each of the same length d) and labels `y`
 * (each 0 or 1). Throws on empty, ragged or non-binary input.
 */
export function fitLogisticRegression(
  x: readonly ArrayLike<number>[],
  y: readonly number[],
  options: LogisticRegressionOptions = {},
): LogisticRegressionFit {
  const l2 = options.l2 ?? 1e-3;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-10;
  if (!(l2 >= 0)) throw new Error(`fitLogisticRegression: l2 must be ≥ 0, got ${l2}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new Error(`fitLogisticRegression: maxIterations must be a positive integer, got ${maxIterations}`);
  if (x.length === 0) throw new Error('fitLogisticRegression requires at least 1 row');
  if (x.length !== y.length) throw new Error(`fitLogisticRegression: ${x.length} rows but ${y.length} labels`);
  const n = x.length;
  const d = (x[0] as ArrayLike<number>).length;
  for (let i = 0; i < n; i++) {
    if ((x[i] as ArrayLike<number>).length !== d) throw new Error(`fitLogisticRegression: row ${i} has ${(x[i] as ArrayLike<number>).length} values, expected ${d}`);
    if (y[i] !== 0 && y[i] !== 1) throw new Error(`fitLogisticRegression: label ${i} must be 0 or 1, got ${y[i]}`);
  }

  const size = d + 1;
  const theta = new Float64Array(size);
  let loss = objective(theta, x, y, l2);
  const gradient = new Float64Array(size);
  const hessian = new Float64Array(size * size);
  const augmented = new Float64Array(size);
  augmented[0] = 1;

  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    gradient.fill(0);
    hessian.fill(0);
    for (let i = 0; i < n; i++) {
      const row = x[i] as ArrayLike<number>;
      for (let j = 0; j < d; j++) augmented[j + 1] = row[j] as number;
      let eta = 0;
      for (let j = 0; j < size; j++) eta += (theta[j] as number) * (augmented[j] as number);
      const p = sigmoid(eta);
      const residual = p - (y[i] as number);
      const weight = p * (1 - p);
      for (let j = 0; j < size; j++) {
        const aj = augmented[j] as number;
        gradient[j] = (gradient[j] as number) + residual * aj;
        const scaled = weight * aj;
        for (let k = 0; k <= j; k++) hessian[j * size + k] = (hessian[j * size + k] as number) + scaled * (augmented[k] as number);
      }
    }
    for (let j = 0; j < size; j++) {
      gradient[j] = (gradient[j] as number) / n + (j > 0 ? l2 * (theta[j] as number) : 0);
      for (let k = 0; k <= j; k++) hessian[j * size + k] = (hessian[j * size + k] as number) / n;
      if (j > 0) hessian[j * size + j] = (hessian[j * size + j] as number) + l2;
      // a tiny ridge keeps the solve defined when a column is constant and λ = 0
      hessian[j * size + j] = (hessian[j * size + j] as number) + 1e-12;
    }
    const step = choleskySolve(hessian, gradient, size);
    let decrement = 0;
    for (let j = 0; j < size; j++) decrement += (gradient[j] as number) * (step[j] as number);

    let t = 1;
    const candidate = new Float64Array(size);
    let candidateLoss = Infinity;
    for (let halving = 0; halving < 40; halving++) {
      for (let j = 0; j < size; j++) candidate[j] = (theta[j] as number) - t * (step[j] as number);
      candidateLoss = objective(candidate, x, y, l2);
      if (candidateLoss <= loss - 1e-4 * t * decrement) break;
      t /= 2;
    }
    if (!(candidateLoss < loss)) {
      // no progress is possible in floating point: we are at the optimum
      return { intercept: theta[0] as number, weights: Array.from(theta.subarray(1)), iterations: iteration, converged: true, loss };
    }
    theta.set(candidate);
    loss = candidateLoss;
    // the step just taken was already tiny; near the optimum Newton's error squares each step
    if (decrement / 2 < tolerance) return { intercept: theta[0] as number, weights: Array.from(theta.subarray(1)), iterations: iteration, converged: true, loss };
  }
  return { intercept: theta[0] as number, weights: Array.from(theta.subarray(1)), iterations: maxIterations, converged: false, loss };
}
