/**
 * Renders time-compressed copies of prometheus/rules for end-to-end tests, which cannot wait the
 * production `for:` durations (up to an hour). The production files are never changed; the copy differs
 * only in what is listed here, so a test states exactly what it shortened:
 *
 * - every `for:` and `keep_firing_for:` is divided by `divisor` (rounded, at least 1s), which keeps the
 *   tiers' order (critical waits less than high, high less than low);
 * - each of `substitutions` replaces one literal in one alert's expression. A substitution whose text does
 *   not occur exactly once throws, so a change to a production rule cannot silently leave the test
 *   exercising something else.
 *
 * Expressions, labels and annotations are otherwise copied verbatim.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ruleFilePaths } from './render-test-config.js';

export interface RuleSubstitution {
  /** the alert whose `expr` is edited */
  readonly alert: string;
  /** literal text that must occur exactly once in that expression */
  readonly from: string;
  readonly to: string;
  /** why the test needs it (for the test's report) */
  readonly reason: string;
}

export interface RuleTimeCompression {
  /** `for` and `keep_firing_for` are divided by this (> 0) */
  readonly divisor: number;
  readonly substitutions?: readonly RuleSubstitution[];
}

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  [key: string]: unknown;
}
interface RuleFile {
  groups: Array<{ name: string; rules: Rule[]; [key: string]: unknown }>;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Seconds of a Prometheus duration such as `5m`, `1h30m` or `90s`. Throws on anything else. */
export function prometheusDurationSeconds(duration: string): number {
  const parts = [...duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== duration) throw new Error(`not a Prometheus duration: ${JSON.stringify(duration)}`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * (UNIT_SECONDS[unit ?? 's'] ?? 1), 0);
}

function compress(duration: string, divisor: number): string {
  return `${Math.max(1, Math.round(prometheusDurationSeconds(duration) / divisor))}s`;
}

function occurrences(text: string, literal: string): number {
  return literal === '' ? 0 : text.split(literal).length - 1;
}

/** The compressed copy of one rule file's text. */
export function renderTestRules(ruleYaml: string, options: RuleTimeCompression): string {
  if (!(options.divisor > 0)) throw new Error(`divisor: must be > 0, got ${options.divisor}`);
  const file = parse(ruleYaml) as RuleFile;
  const substitutions = options.substitutions ?? [];
  const rendered: RuleFile = {
    ...file,
    groups: file.groups.map((group) => ({
      ...group,
      rules: group.rules.map((rule) => {
        const out: Rule = { ...rule };
        if (rule.for !== undefined) out.for = compress(rule.for, options.divisor);
        if (rule.keep_firing_for !== undefined) out.keep_firing_for = compress(rule.keep_firing_for, options.divisor);
        for (const s of substitutions.filter((x) => x.alert === rule.alert)) {
          const n = occurrences(out.expr, s.from);
          if (n !== 1) throw new Error(`substitution for ${s.alert}: ${JSON.stringify(s.from)} occurs ${n} times in its expr, expected exactly once`);
          out.expr = out.expr.replace(s.from, s.to);
        }
        return out;
      }),
    })),
  };
  return stringify(rendered, { lineWidth: 0 });
}

/**
 * Writes the compressed copy of every file in prometheus/rules into `dir` (same file names) and returns
 * their paths. Throws when a substitution names an alert that no rule file defines.
 */
export async function writeTestRuleFiles(dir: string, options: RuleTimeCompression): Promise<string[]> {
  const sources = ruleFilePaths().map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const alerts = new Set(sources.flatMap(({ text }) => (parse(text) as RuleFile).groups.flatMap((g) => g.rules.flatMap((r) => (r.alert === undefined ? [] : [r.alert])))));
  for (const s of options.substitutions ?? []) {
    if (!alerts.has(s.alert)) throw new Error(`substitution: no alert ${s.alert} in prometheus/rules`);
  }
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const { path, text } of sources) {
    const target = join(dir, basename(path));
    await writeFile(target, renderTestRules(text, options));
    written.push(target);
  }
  return written;
}
