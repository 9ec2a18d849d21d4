import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choleskySolve } from './cholesky.js';

describe('choleskySolve', () => {
  it('solves a hand-checked 2×2 system', () => {
    // [4 2; 2 3] x = [2; 1]  →  x = [0.5, 0]
    expect(Array.from(choleskySolve([4, 2, 2, 3], [2, 1], 2))).toEqual([0.5, 0]);
  });

  it('solves random symmetric positive-definite systems', () => {
    const n = 4;
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n * n, maxLength: n * n }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
        (m, b) => {
          // A = M·Mᵀ + I is symmetric positive definite
          const a = new Float64Array(n * n);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              let sum = i === j ? 1 : 0;
              for (let k = 0; k < n; k++) sum += (m[i * n + k] as number) * (m[j * n + k] as number);
              a[i * n + j] = sum;
            }
          }
          const x = choleskySolve(a, b, n);
          for (let i = 0; i < n; i++) {
            let ax = 0;
            for (let j = 0; j < n; j++) ax += (a[i * n + j] as number) * (x[j] as number);
            expect(ax).toBeCloseTo(b[i] as number, 6);
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('rejects a matrix that is not positive definite, and bad sizes', () => {
    expect(() => choleskySolve([1, 2, 2, 1], [1, 1], 2)).toThrow(/not positive definite/);
    expect(() => choleskySolve([1, 0, 0], [1, 1], 2)).toThrow(/matrix has 3 entries, expected 4/);
    expect(() => choleskySolve([1, 0, 0, 1], [1], 2)).toThrow(/right-hand side has 1 entries, expected 2/);
  });
});
