/**
 * The samples the sketch conformance suite (`sketch-conformance.test.ts`) and the edge-sensitivity measurement
 * (`edge-sensitivity.test.ts`) run on: every case of fixtures/oracle.json and 30 seeded production-sized samples,
 * each turned into the sketches an SDK and a reference profile build (default 160-bucket histograms, with the exact
 * distinct-value count and population std a reference profile carries).
 */
import { readFileSync } from 'node:fs';
import { seededRandom } from '../drift/seeded-random.js';
import { populationStd } from '../drift/wasserstein.js';
import type { FeatureSketch } from '../profile/feature-sketch.js';
import { CategoryCounts } from '../sketch/category-counts.js';
import { ExponentialHistogram } from '../sketch/exponential-histogram.js';

export interface Sample {
  name: string;
  kind: 'numeric' | 'categorical';
  reference: number[] | string[];
  current: number[] | string[];
}

const oracle = JSON.parse(readFileSync(new URL('../../fixtures/oracle.json', import.meta.url), 'utf8')) as { cases: Sample[] };

export function sketchOf(sample: Sample, side: 'reference' | 'current'): FeatureSketch {
  const values = sample[side];
  if (sample.kind === 'categorical') {
    const counts = new CategoryCounts();
    for (const v of values as string[]) counts.record(v);
    return { kind: 'categorical', counts };
  }
  const histogram = new ExponentialHistogram();
  histogram.recordMany(values as number[]);
  return { kind: 'numeric', histogram, uniqueCount: new Set<number | string>(values).size, std: populationStd(values as number[]) };
}

/** Heavy-tailed and zero-inflated shapes: their sparse tail bins make the binned distances fragile. */
export const ROUGH = /heavy-tails|zero-inflated/;

/** Seeded production-sized samples: what a window of a busy feature looks like. */
function generated(): Sample[] {
  const random = seededRandom(7);
  const normal = (): number => {
    let u = 0;
    while (u === 0) u = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const shapes: Array<[string, () => number, () => number]> = [
    ['normal-same', normal, normal],
    ['normal-shift-0.5', normal, () => normal() + 0.5],
    ['scale-x1.5', normal, () => 1.5 * normal()],
    ['charges-plus-15pct', () => 20 + 100 * random(), () => (20 + 100 * random()) * 1.15],
    ['n100-plus-15pct', () => 100 + 10 * normal(), () => 115 + 11.5 * normal()],
    ['lognormal-wider', () => Math.exp(normal()), () => Math.exp(1.2 * normal())],
    ['heavy-tails-negative', () => normal() / Math.max(1e-3, Math.abs(normal())), () => 1 + normal() / Math.max(1e-3, Math.abs(normal()))],
    ['zero-inflated', () => (random() < 0.6 ? 0 : Math.exp(normal())), () => (random() < 0.5 ? 0 : Math.exp(normal()))],
    ['tiny-1e-3', () => 1e-3 * Math.abs(normal()), () => 1.2e-3 * Math.abs(normal())],
    ['huge-1e6', () => 1e6 * (5 + normal()), () => 1e6 * (5.3 + normal())],
  ];
  const out: Sample[] = [];
  for (const n of [1000, 5000, 20_000]) {
    for (const [name, ref, cur] of shapes) {
      out.push({ name: `gen-${name}-${n}`, kind: 'numeric', reference: Array.from({ length: n }, ref), current: Array.from({ length: Math.round(n * 0.8) }, cur) });
    }
  }
  return out;
}

export const numericCases: Sample[] = [...oracle.cases.filter((c) => c.kind === 'numeric'), ...generated()];
export const categoricalCases: Sample[] = oracle.cases.filter((c) => c.kind === 'categorical');
