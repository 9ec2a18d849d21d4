import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agreementSince, judgedOutput, trafficSince } from './canary-observation.js';
import type { TrafficTotals } from './rollout-record.js';

const BOUNDS = [0.01, 0.1, 1];

const totals = fc.record({
  calls: fc.nat(10_000),
  errors: fc.nat(10_000),
  counts: fc.array(fc.nat(5_000), { minLength: 4, maxLength: 4 }),
  agree: fc.nat(1_000),
  disagree: fc.nat(1_000),
  otherBounds: fc.boolean(),
});

function asTotals(t: { calls: number; errors: number; counts: number[]; agree: number; disagree: number; otherBounds: boolean }): TrafficTotals {
  return { calls: t.calls, errors: t.errors, latency: { bounds: t.otherBounds ? [0.5, 1, 2] : BOUNDS, counts: t.counts }, comparisons: { agree: t.agree, disagree: t.disagree } };
}

describe('traffic between two measurements', () => {
  it('subtracts the totals at the window start', () => {
    const base: TrafficTotals = { calls: 100, errors: 2, latency: { bounds: BOUNDS, counts: [10, 80, 10, 0] } };
    const now: TrafficTotals = { calls: 350, errors: 7, latency: { bounds: BOUNDS, counts: [30, 280, 38, 2] } };
    expect(trafficSince(now, base)).toEqual({ calls: 250, errors: 5, latency: { bounds: BOUNDS, counts: [20, 200, 28, 2] } });
  });

  it('starts over after a reset and when the latency bounds changed', () => {
    const base: TrafficTotals = { calls: 500, errors: 9, latency: { bounds: BOUNDS, counts: [100, 300, 100, 0] } };
    expect(trafficSince({ calls: 40, errors: 1, latency: { bounds: BOUNDS, counts: [10, 30, 0, 0] } }, base)).toEqual({ calls: 40, errors: 1, latency: { bounds: BOUNDS, counts: [10, 30, 0, 0] } });
    const rebounded = trafficSince({ calls: 600, errors: 9, latency: { bounds: [0.5, 1, 2], counts: [50, 0, 0, 0] } }, base);
    expect(rebounded.latency).toEqual({ bounds: [0.5, 1, 2], counts: [50, 0, 0, 0] });
  });

  it('never yields negative traffic or more errors than calls (property, seeded)', () => {
    fc.assert(
      fc.property(totals, totals, (b, n) => {
        const d = trafficSince(asTotals(n), asTotals(b));
        expect(d.calls).toBeGreaterThanOrEqual(0);
        expect(d.errors).toBeGreaterThanOrEqual(0);
        expect(d.errors).toBeLessThanOrEqual(d.calls);
        for (const c of d.latency?.counts ?? []) expect(c).toBeGreaterThanOrEqual(0);
        const a = agreementSince(asTotals(n), asTotals(b));
        if (a) {
          expect(a.agreed).toBeGreaterThanOrEqual(0);
          expect(a.agreed).toBeLessThanOrEqual(a.compared);
        }
      }),
      { seed: 20250301, numRuns: 500 },
    );
  });

  it('counts shadow agreement since the window start, and nothing when nothing was compared', () => {
    const base: TrafficTotals = { calls: 0, errors: 0, latency: null, comparisons: { agree: 90, disagree: 10 } };
    expect(agreementSince({ ...base, comparisons: { agree: 280, disagree: 20 } }, base)).toEqual({ agreed: 190, compared: 200 });
    expect(agreementSince(base, base)).toBeUndefined();
    expect(agreementSince({ calls: 0, errors: 0, latency: null }, { calls: 0, errors: 0, latency: null })).toBeUndefined();
  });
});

describe('judged output', () => {
  it('takes the most drifted output with the minimum sample, else the best-sampled one', () => {
    const drifts = [
      { output: 'class', score: 0.5, primarySamples: 150, candidateSamples: 150 },
      { output: 'score', score: 0.05, primarySamples: 900, candidateSamples: 300 },
      { output: 'value', score: 0.3, primarySamples: 900, candidateSamples: 250 },
    ];
    expect(judgedOutput(drifts, 200)?.output).toBe('value');
    expect(judgedOutput(drifts, 1000)?.output).toBe('score');
    expect(judgedOutput([], 200)).toBeUndefined();
  });
});
