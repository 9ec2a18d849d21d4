/**
 * The time-compressed rule copies used by test/alerting.e2e.test.ts: only `for`, `keep_firing_for` and the
 * listed literals change, the tiers keep their order, a stale substitution fails loudly, and promtool
 * accepts the result.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { binaryForTest } from '../test/support/find-binary.js';
import { ruleFilePaths } from './render-test-config.js';
import { prometheusDurationSeconds, renderTestRules, writeTestRuleFiles } from './render-test-rules.js';

const run = promisify(execFile);
const promtool = binaryForTest(['promtool']);

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rulesOf = (yaml: string): Rule[] => (parse(yaml) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules);
const production = ruleFilePaths().map((path) => readFileSync(path, 'utf8'));

describe('prometheusDurationSeconds', () => {
  it('reads single and compound durations', () => {
    expect(prometheusDurationSeconds('90s')).toBe(90);
    expect(prometheusDurationSeconds('5m')).toBe(300);
    expect(prometheusDurationSeconds('1h30m')).toBe(5400);
    expect(prometheusDurationSeconds('1d')).toBe(86400);
  });

  it('refuses what is not a duration', () => {
    expect(() => prometheusDurationSeconds('5 minutes')).toThrow(/not a Prometheus duration/);
    expect(() => prometheusDurationSeconds('')).toThrow(/not a Prometheus duration/);
  });
});

describe('renderTestRules', () => {
  const divisor = 60;

  it('divides for and keep_firing_for, and copies everything else verbatim', () => {
    for (const text of production) {
      const original = rulesOf(text);
      const rendered = rulesOf(renderTestRules(text, { divisor }));
      expect(rendered.length).toBe(original.length);
      rendered.forEach((rule, i) => {
        const source = original[i] as Rule;
        const { for: f, keep_firing_for: k, ...rest } = rule;
        const { for: sf, keep_firing_for: sk, ...sourceRest } = source;
        expect(rest).toEqual(sourceRest);
        if (sf !== undefined) expect(f).toBe(`${Math.max(1, Math.round(prometheusDurationSeconds(sf) / divisor))}s`);
        if (sk !== undefined) expect(k).toBe(`${Math.max(1, Math.round(prometheusDurationSeconds(sk) / divisor))}s`);
        expect(f === undefined).toBe(sf === undefined);
      });
    }
  });

  it('keeps every ordering of the production waits (the critical alert of a model still fires before its high and low ones)', () => {
    const pairs = production.flatMap((text) => {
      const rendered = rulesOf(renderTestRules(text, { divisor }));
      return rulesOf(text).flatMap((rule, i) => (rule.for === undefined ? [] : [[prometheusDurationSeconds(rule.for), prometheusDurationSeconds(rendered[i]?.for ?? '')] as const]));
    });
    expect(pairs.length).toBeGreaterThan(10);
    for (const [a, ra] of pairs) for (const [b, rb] of pairs) if (a < b) expect(ra, `${a}s < ${b}s`).toBeLessThan(rb);
  });

  it('applies a substitution to the named alert only, and refuses one that does not match exactly once', () => {
    const critical = production[0] ?? '';
    const substitution = { alert: 'DriftwatchModelDataOutage', from: '), 600)', to: '), 10)', reason: 'test' };
    const rendered = rulesOf(renderTestRules(critical, { divisor, substitutions: [substitution] }));
    expect(rendered.find((r) => r.alert === 'DriftwatchModelDataOutage')?.expr).toContain('), 10)');
    expect(rendered.find((r) => r.alert === 'DriftwatchModelDataOutage')?.expr).not.toContain('600');
    expect(() => renderTestRules(critical, { divisor, substitutions: [{ ...substitution, from: 'no such text' }] })).toThrow(/occurs 0 times/);
    expect(() => renderTestRules(critical, { divisor, substitutions: [{ ...substitution, from: 'driftwatch_model_last_seen_timestamp_seconds' }] })).toThrow(
      /occurs \d+ times/,
    );
  });

  it('refuses a substitution for an alert that does not exist', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'driftwatch-rules-'));
    try {
      await expect(writeTestRuleFiles(dir, { divisor, substitutions: [{ alert: 'NoSuchAlert', from: 'x', to: 'y', reason: '' }] })).rejects.toThrow(/no alert NoSuchAlert/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(promtool === undefined)('writes rule files that promtool accepts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'driftwatch-rules-'));
    try {
      const paths = await writeTestRuleFiles(dir, { divisor, substitutions: [{ alert: 'DriftwatchModelDataOutage', from: '), 600)', to: '), 10)', reason: '' }] });
      expect(paths.length).toBe(ruleFilePaths().length);
      const { stdout } = await run(promtool ?? 'promtool', ['check', 'rules', ...paths]);
      expect(stdout.match(/SUCCESS/g)?.length).toBe(paths.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
