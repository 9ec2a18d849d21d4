/**
 * Why the sketch variants of PSI, Jensen–Shannon and Hellinger bin on bucket-aligned edges: on every binned case of the
 * conformance suite, three values of each statistic —
 * - Evidently's: the raw samples on the Sturges edges (`psi(ref, cur)`);
 * - the sketch's: the Sturges edges moved onto bucket boundaries (`bucketAlignedEdges`), where the sketch is exact, so
 *   this is also the raw samples on those edges;
 * - the rule the sketch used before: the Sturges edges themselves, each cut bucket's values spread uniformly
 *   (`rebinClampedBuckets`).
 * The test asserts what the README of this folder states: over all cases, the aligned edges' worst distance from
 * Evidently's value is below the uniform rule's, for each statistic. Print the table with
 * `DRIFTWATCH_PRINT_EDGE_SENSITIVITY=1 npx vitest run packages/stats/src/sketch-drift/edge-sensitivity.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { binSamples, sturgesEdges } from '../drift/binning.js';
import { hellingerFromCounts } from '../drift/hellinger.js';
import { jensenShannonFromCounts } from '../drift/jensen-shannon.js';
import { psiFromCounts } from '../drift/psi.js';
import { rebinClampedBuckets } from '../sketch/rebin-histogram.js';
import { numericCases, sketchOf } from './conformance-cases.test-support.js';
import { driftFromSketches } from './drift-from-sketches.js';
import { alignScales, prepareSketch } from './prepared-sketch.js';
import type { PreparedHistogram } from './prepared-sketch.js';

/** Cases binned on Sturges edges (more than 20 distinct reference values), as `binSamples` bins them. */
const binned = numericCases.filter((c) => new Set<number | string>(c.reference).size > 20);

const MEASURES = [
  ['psi', psiFromCounts],
  ['jensenshannon', jensenShannonFromCounts],
  ['hellinger', hellingerFromCounts],
] as const;

describe('bucket-aligned edges against the uniform rule on Evidently’s edges', () => {
  it('the aligned edges come closer to Evidently’s values in the worst case, for each statistic', () => {
    const worst = { aligned: new Map<string, number>(), uniform: new Map<string, number>() };
    const rows: string[] = [];
    for (const c of binned) {
      // the sketches once per case: prepared, they serve every sketch test
      const [ref, cur] = alignScales(prepareSketch(sketchOf(c, 'reference')), prepareSketch(sketchOf(c, 'current'))) as [PreparedHistogram, PreparedHistogram];
      const values = [...(c.reference as number[]), ...(c.current as number[])];
      const sturges = sturgesEdges(Math.min(...values), Math.max(...values), values.length);
      const onSturges = binSamples('psi', c.reference, c.current);
      const cells = [c.name.padEnd(36)];
      for (const [method, fromCounts] of MEASURES) {
        const exact = fromCounts(onSturges.reference, onSturges.current);
        const aligned = driftFromSketches(method, ref, cur).statistic;
        const uniform = fromCounts(rebinClampedBuckets(ref.buckets, sturges), rebinClampedBuckets(cur.buckets, sturges));
        const rel = (x: number): number => (exact === 0 ? 0 : Math.abs(x - exact) / exact);
        worst.aligned.set(method, Math.max(worst.aligned.get(method) ?? 0, rel(aligned)));
        worst.uniform.set(method, Math.max(worst.uniform.get(method) ?? 0, rel(uniform)));
        cells.push(`${method.slice(0, 4)} ${exact.toPrecision(3)}: aligned ${(100 * rel(aligned)).toFixed(1)}%, uniform ${(100 * rel(uniform)).toFixed(1)}%`);
      }
      rows.push(cells.join(' | '));
    }
    if (process.env['DRIFTWATCH_PRINT_EDGE_SENSITIVITY'] === '1') console.log([...rows, JSON.stringify(Object.fromEntries(Object.entries(worst).map(([k, m]) => [k, Object.fromEntries(m)])))].join('\n'));
    for (const [method] of MEASURES) expect(worst.aligned.get(method), method).toBeLessThan(worst.uniform.get(method) as number);
  });
});
