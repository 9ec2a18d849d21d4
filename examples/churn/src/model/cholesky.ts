/**
 * Solves A·x = b for a symmetric positive-definite matrix A by Cholesky
 * factorisation A = L·Lᵀ, then forward (L·y = b) and back (Lᵀ·x = y)
 * substitution. Used for the Newton steps of the logistic regression.
 *
 * `a` is row-major n×n (only the lower triangle is read) and is not modified.
 * Throws if A is not (numerically) positive definite.
 * Reference: Golub & Van Loan, Matrix Computations, §4.2;
 * https://en.wikipedia.org/wiki/Cholesky_decomposition
 * Cost: O(n³/3) time, O(n²) memory.
 */
export function choleskySolve(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  if (a.length !== n * n) throw new Error(`choleskySolve: matrix has ${a.length} entries, expected ${n * n}`);
  if (b.length !== n) throw new Error(`choleskySolve: right-hand side has ${b.length} entries, expected ${n}`);
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) {
        if (!(sum > 0)) throw new Error(`choleskySolve: matrix is not positive definite (pivot ${i} is ${sum})`);
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / (l[j * n + j] as number);
      }
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[i * n + k] as number) * (y[k] as number);
    y[i] = sum / (l[i * n + i] as number);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < n; k++) sum -= (l[k * n + i] as number) * (x[k] as number);
    x[i] = sum / (l[i * n + i] as number);
  }
  return x;
}
