import { describe, expect, it } from 'vitest';
import { KpiRecorder, MAX_KPI_NAMES } from './kpi-recorder.js';

describe('KpiRecorder', () => {
  it('keeps sum, events and values; rejects bad names and values; bounds names', () => {
    const k = new KpiRecorder();
    expect(k.record('revenue', 10)).toBe(true);
    expect(k.record('revenue', -2.5)).toBe(true);
    expect(k.record('', 1)).toBe(false);
    expect(k.record('x', Infinity)).toBe(false);
    expect(k.record(3, 1)).toBe(false);
    const r = k.kpis.get('revenue');
    expect([r.sum, r.events, r.values.min]).toEqual([7.5, 2, -2.5]);
    for (let i = 0; i < 500; i++) k.record(`kpi-${i}`, 1);
    expect(k.kpis.size).toBe(MAX_KPI_NAMES + 1);
  });
});
