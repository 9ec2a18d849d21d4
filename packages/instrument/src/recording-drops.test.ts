import { describe, expect, it } from 'vitest';
import { RecordingDrops } from './recording-drops.js';

describe('RecordingDrops', () => {
  it('counts every drop, warns once per kind, survives a throwing logger', () => {
    const warnings: string[] = [];
    const d = new RecordingDrops({ info: () => {}, warn: (m) => warnings.push(m) }, 'monitor(m@1)');
    d.drop('kpi', 'bad');
    d.drop('kpi', 'bad again');
    d.drop('output', new TypeError('nope'));
    expect(d.counts()).toEqual({ kpi: 2, output: 1 });
    expect(d.total).toBe(3);
    expect(warnings).toEqual([
      'monitor(m@1): dropped a recording (kpi): bad; further kpi drops are only counted',
      'monitor(m@1): dropped a recording (output): TypeError: nope; further output drops are only counted',
    ]);
    const hostile = new RecordingDrops(
      {
        info: () => {},
        warn: () => {
          throw new Error('x');
        },
      },
      'l',
    );
    expect(() => hostile.drop('internal', 'y')).not.toThrow();
  });
});
