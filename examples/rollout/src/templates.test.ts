import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const EXAMPLES = ['analysis-template.yaml', 'metric-template.yaml', 'canary.yaml', 'rollout.yaml'];

type Doc = Record<string, unknown> & { apiVersion?: string; kind?: string; metadata?: { name?: string }; spec?: Record<string, unknown> };

function documents(file: string): Doc[] {
  return parseAllDocuments(readFileSync(here(`../${file}`), 'utf8')).map((doc) => {
    expect(doc.errors, `${file}: ${doc.errors.map((e) => e.message).join('; ')}`).toEqual([]);
    return doc.toJSON() as Doc;
  });
}

interface Query {
  source: string;
  name: string;
  /** The query with Argo / Flagger template variables filled with sample values. */
  promql: string;
}

/** Every PromQL query in the examples, with template variables substituted. */
function queries(): Query[] {
  const out: Query[] = [];
  for (const doc of documents('analysis-template.yaml')) {
    const metrics = (doc.spec?.['metrics'] ?? []) as Array<{ name: string; provider: { prometheus: { query: string } } }>;
    for (const metric of metrics) {
      const query = metric.provider.prometheus.query;
      out.push({ source: 'AnalysisTemplate', name: metric.name, promql: query.replace(/\{\{\s*args\.([\w-]+)\s*\}\}/g, (_m, arg: string) => (arg === 'canary-version' ? '4' : 'churn')) });
    }
  }
  for (const doc of documents('metric-template.yaml')) {
    const query = doc.spec?.['query'] as string;
    const filled = query
      .replace(/\{\{\s*interval\s*\}\}/g, '5m')
      .replace(/\{\{\s*variables\.(\w+)\s*\}\}/g, (_m, name: string) => (name === 'canary_version' ? '4' : 'churn'))
      .replace(/\{\{\s*(name|namespace|target|service|ingress)\s*\}\}/g, 'x');
    out.push({ source: 'MetricTemplate', name: doc.metadata?.name ?? '', promql: filled });
  }
  return out;
}

function syntaxErrors(promql: string): string[] {
  const errors: string[] = [];
  parser.parse(promql).iterate({
    enter(node) {
      if (node.type.isError) errors.push(`error node at ${node.from}: ${JSON.stringify(promql.slice(Math.max(0, node.from - 20), node.to + 20))}`);
    },
  });
  return errors;
}

function metricNames(promql: string): string[] {
  const names: string[] = [];
  const tree = parser.parse(promql);
  tree.iterate({
    enter(node) {
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') names.push(promql.slice(node.from, node.to));
    },
  });
  return names;
}

/** Metric names documented in docs/metrics.md (a histogram also exposes _bucket, _count, _sum). */
function documentedMetrics(): Set<string> {
  const text = readFileSync(here('../../../docs/metrics.md'), 'utf8');
  const names = new Set<string>();
  for (const row of text.matchAll(/^\| `(driftwatch_[a-z0-9_]+)` \| (\w+)/gm)) {
    const [, name, type] = row as unknown as [string, string, string];
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${name}${suffix}`);
  }
  return names;
}

describe('examples/rollout YAML', () => {
  it('parses, with the expected kinds', () => {
    const kinds = EXAMPLES.flatMap((file) => documents(file).map((d) => `${d.apiVersion} ${d.kind} ${d.metadata?.name}`));
    expect(kinds).toEqual([
      'argoproj.io/v1alpha1 AnalysisTemplate driftwatch-model-canary',
      'flagger.app/v1beta1 MetricTemplate driftwatch-error-rate-increase',
      'flagger.app/v1beta1 MetricTemplate driftwatch-latency-p95-ratio',
      'flagger.app/v1beta1 MetricTemplate driftwatch-prediction-drift',
      'flagger.app/v1beta1 Canary churn-model',
      'argoproj.io/v1alpha1 Rollout churn-model',
    ]);
  });

  it('has 3 queries in each template set', () => {
    const all = queries();
    expect(all.filter((q) => q.source === 'AnalysisTemplate').map((q) => q.name)).toEqual(['error-rate-increase', 'latency-p95-ratio', 'prediction-drift']);
    expect(all.filter((q) => q.source === 'MetricTemplate')).toHaveLength(3);
    for (const q of all) expect(q.promql, `${q.name} still has a template variable`).not.toMatch(/\{\{/);
  });

  it('every PromQL query parses with lezer-promql without error nodes', () => {
    // Control: the check does catch a broken query.
    expect(syntaxErrors('sum(rate(driftwatch_predictions_total[5m])')).not.toEqual([]);
    for (const q of queries()) expect(syntaxErrors(q.promql), `${q.source} ${q.name}`).toEqual([]);
  });

  it('only uses metrics documented in docs/metrics.md', () => {
    const documented = documentedMetrics();
    expect(documented.has('driftwatch_prediction_duration_seconds_bucket')).toBe(true);
    for (const q of queries()) {
      const used = metricNames(q.promql);
      expect(used.length, q.name).toBeGreaterThan(0);
      for (const name of used) expect(documented.has(name), `${q.name} uses undocumented ${name}`).toBe(true);
    }
  });

  it('guards Argo conditions against empty results so low traffic is inconclusive, not failed', () => {
    for (const doc of documents('analysis-template.yaml')) {
      for (const metric of (doc.spec?.['metrics'] as Array<Record<string, unknown>>) ?? []) {
        expect(metric['successCondition']).toMatch(/^len\(result\) > 0 && result\[0\] <= [\d.]+$/);
        expect(metric['failureCondition']).toMatch(/^len\(result\) > 0 && result\[0\] > [\d.]+$/);
      }
    }
  });

  it('wires the Flagger Canary and Argo Rollout to the templates', () => {
    const metricTemplates = new Set(documents('metric-template.yaml').map((d) => d.metadata?.name));
    const [canary] = documents('canary.yaml');
    const analysis = canary?.spec?.['analysis'] as { stepWeights: number[]; metrics: Array<{ templateRef: { name: string } }> };
    expect(analysis.stepWeights).toEqual([10, 25, 50]);
    for (const m of analysis.metrics) expect(metricTemplates.has(m.templateRef.name)).toBe(true);
    const [rollout] = documents('rollout.yaml');
    const canaryStrategy = (rollout?.spec?.['strategy'] as { canary: { steps: Array<Record<string, unknown>>; analysis: { templates: Array<{ templateName: string }> } } }).canary;
    expect(canaryStrategy.steps.filter((s) => 'setWeight' in s).map((s) => s['setWeight'])).toEqual([10, 25, 50]);
    expect(canaryStrategy.analysis.templates[0]?.templateName).toBe('driftwatch-model-canary');
  });

  it.skipIf(!existsSync('/usr/bin/promtool'))('every query also passes Prometheus’ own parser (promtool check rules)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dw-promql-'));
    try {
      const rules = queries().map((q, i) => `      - record: driftwatch:example_${i}\n        expr: ${JSON.stringify(q.promql)}`);
      const file = join(dir, 'rules.yaml');
      writeFileSync(file, `groups:\n  - name: examples\n    rules:\n${rules.join('\n')}\n`);
      const output = execFileSync('/usr/bin/promtool', ['check', 'rules', file], { encoding: 'utf8' });
      expect(output).toContain('SUCCESS: 6 rules found');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
