import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitor } from '@driftwatch/instrument';
import { buildReferenceProfile, type FeatureSchema } from '@driftwatch/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAggregator, type Aggregator } from '../aggregator.js';
import { checkToJunit, escapeXml, escapeXmlAttribute } from './check-junit.js';
import { onlineCheckSubject } from './check-online.js';
import { exactRocAuc, offlinePerformance } from './check-performance.js';
import { CheckConfigError, parseFailOn, runCheckSuite, type CheckFeature, type CheckSubject } from './check-suite.js';
import { CLI_VERBS } from './verb-list.js';
import { runCli, type CliIo } from './verbs.js';

function io(env: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const self = {
    out: '',
    err: '',
    stdout: { write: (t: string) => (self.out += t) },
    stderr: { write: (t: string) => (self.err += t) },
    env,
    stopSignal: new Promise<string>(() => {}),
  };
  return self;
}

/** A seeded uniform PRNG (mulberry32), so the data files are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Row = {
  income: number;
  plan: string;
  label: number;
  score: number;
};

/** income ~ U(shift, 100 + shift) scaled, plan from three categories (or a new one), label and a noisy score. */
function rows(n: number, seed: number, options: { incomeFactor?: number; newPlanShare?: number; missingIncome?: number } = {}): Row[] {
  const r = random(seed);
  const out: Row[] = [];
  for (let i = 0; i < n; i++) {
    const income = (20 + 80 * r()) * (options.incomeFactor ?? 1);
    const plan = r() < (options.newPlanShare ?? 0) ? 'enterprise' : (['basic', 'pro', 'max'][Math.floor(r() * 3)] as string);
    const label = r() < 0.3 ? 1 : 0;
    const score = label * 0.3 + r() * 0.7;
    out.push({ income: r() < (options.missingIncome ?? 0) ? Number.NaN : income, plan, label, score });
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'dw-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SCHEMA: FeatureSchema = { income: 'numeric', plan: 'categorical' };

function writeCsv(name: string, data: Row[]): string {
  const file = join(dir, name);
  writeFileSync(file, ['income,plan,label,score', ...data.map((d) => `${Number.isNaN(d.income) ? '' : d.income.toFixed(2)},${d.plan},${d.label},${d.score.toFixed(4)}`)].join('\n'));
  return file;
}

function writeJsonl(name: string, data: Row[]): string {
  const file = join(dir, name);
  writeFileSync(file, data.map((d) => JSON.stringify({ ...d, income: Number.isNaN(d.income) ? null : d.income })).join('\n'));
  return file;
}

const train = writeCsv('train.csv', rows(4000, 1));
const same = writeJsonl('same.jsonl', rows(1500, 2));
const shifted = writeCsv('shifted.csv', rows(1500, 3, { incomeFactor: 1.4 }));
const newPlans = writeCsv('new-plans.csv', rows(1500, 4, { newPlanShare: 0.2 }));
const gappy = writeCsv('gappy.csv', rows(1500, 5, { missingIncome: 0.3 }));

function feature(name: string, over: Partial<CheckFeature> = {}): CheckFeature {
  return { name, kind: 'numeric', samples: 500, hasReference: true, drift: { method: 'wasserstein', statistic: 0.02, pValue: null, threshold: 0.1, drifted: false }, missingRatio: 0, referenceMissingRatio: 0, newCategoryRatio: null, outOfRangeRatio: 0, ...over };
}

function subject(features: CheckFeature[], over: Partial<CheckSubject> = {}): CheckSubject {
  const evaluated = features.filter((f) => f.drift).length;
  const drifted = features.filter((f) => f.drift?.drifted).length;
  return {
    model: 'm',
    version: '1',
    window: '1h',
    source: 'test',
    evaluatedAt: '2026-01-01T00:00:00.000Z',
    minSamples: 100,
    features,
    outputs: [],
    dataset: { drifted: evaluated > 0 ? drifted / evaluated >= 0.5 : null, share: evaluated > 0 ? drifted / evaluated : null, threshold: 0.5, evaluated, driftedCount: drifted },
    performance: { feedbackSamples: 0, metrics: {} },
    sla: {},
    ...over,
  };
}

describe('check suite', () => {
  it('fails drifted features in --fail-on categories and only warns outside them', () => {
    const s = subject([feature('a', { drift: { method: 'wasserstein', statistic: 0.3, pValue: null, threshold: 0.1, drifted: true } }), feature('b'), feature('c')]);
    const gate = runCheckSuite(s, ['drift']);
    expect(gate.passed).toBe(false);
    expect(gate.tests.find((t) => t.name === 'drift: a')).toMatchObject({ status: 'fail', value: 0.3, threshold: 0.1 });
    expect(gate.tests.find((t) => t.name === 'drift: b')?.status).toBe('pass');
    const warnOnly = runCheckSuite(s, ['missing']);
    expect(warnOnly.passed).toBe(true);
    expect(warnOnly.tests.find((t) => t.name === 'drift: a')?.status).toBe('warn');
    expect(warnOnly.summary).toMatchObject({ failed: 0, warnings: 1 });
  });

  it('skips unmeasurable features but fails the drift gate when nothing has a verdict', () => {
    const s = subject([feature('a', { drift: null, samples: 10, missingRatio: null }), feature('b', { hasReference: false, drift: null })]);
    const r = runCheckSuite(s, ['drift', 'missing']);
    expect(r.tests.find((t) => t.name === 'drift: a')?.status).toBe('skip');
    expect(r.tests.find((t) => t.name === 'drift: b')?.detail).toBe('no reference for this name');
    expect(r.tests.find((t) => t.name === 'drift: enough data for verdicts')?.status).toBe('fail');
    expect(r.passed).toBe(false);
  });

  it('compares missing ratios with the reference plus the allowed increase', () => {
    const s = subject([feature('a', { missingRatio: 0.12, referenceMissingRatio: 0.1 }), feature('b', { missingRatio: 0.2, referenceMissingRatio: 0.1 })]);
    const r = runCheckSuite(s, ['missing']);
    expect(r.tests.find((t) => t.name === 'missing: a')?.status).toBe('pass');
    expect(r.tests.find((t) => t.name === 'missing: b')).toMatchObject({ status: 'fail', threshold: expect.closeTo(0.15, 10) as unknown });
  });

  it('takes performance thresholds from the SLA or the options, and fails unmeasured metrics', () => {
    const measured = subject([feature('a')], { performance: { feedbackSamples: 500, metrics: { accuracy: 0.7, roc_auc: 0.9 } }, sla: { min_accuracy: 0.8 } });
    const r = runCheckSuite(measured, ['performance']);
    expect(r.tests.filter((t) => t.category === 'performance').map((t) => [t.name, t.status])).toEqual([['performance: accuracy ≥ 0.8', 'fail']]);
    const overridden = runCheckSuite(measured, ['performance'], { maxMissingIncrease: 0.05, maxNewCategoryRatio: 0.01, maxOutOfRangeRatio: 0.01, minAccuracy: 0.6, minRocAuc: 0.95 });
    expect(overridden.tests.filter((t) => t.category === 'performance').map((t) => t.status)).toEqual(['pass', 'fail']);
    const unmeasured = runCheckSuite(subject([feature('a')], { performance: { feedbackSamples: 12, metrics: {} }, sla: { min_roc_auc: 0.7 } }), ['performance']);
    expect(unmeasured.tests.find((t) => t.category === 'performance')).toMatchObject({ status: 'fail', detail: 'roc_auc not measured: 12 labels joined, too few for metrics' });
    expect(() => runCheckSuite(subject([feature('a')]), ['performance'])).toThrow(CheckConfigError);
    expect(runCheckSuite(subject([feature('a')]), ['drift']).tests.some((t) => t.category === 'performance')).toBe(false);
  });

  it('uses the SLA drift share for the dataset test when there is one', () => {
    const features = [feature('a', { drift: { method: 'psi', statistic: 0.5, pValue: null, threshold: 0.1, drifted: true } }), feature('b'), feature('c')];
    expect(runCheckSuite(subject(features), ['drift']).tests.find((t) => t.name === 'drift: dataset')?.status).toBe('pass');
    expect(runCheckSuite(subject(features, { sla: { max_drift_share: 0.2 } }), ['drift']).tests.find((t) => t.name === 'drift: dataset')).toMatchObject({ status: 'fail', threshold: 0.2 });
  });

  it('parses --fail-on and names unknown categories', () => {
    expect(parseFailOn('drift, missing,drift')).toEqual(['drift', 'missing']);
    expect(() => parseFailOn('drift,speed')).toThrow('--fail-on: unknown test "speed" (expected drift, missing, new-category, out-of-range, performance)');
    expect(() => parseFailOn(' , ')).toThrow(CheckConfigError);
  });
});

describe('JUnit output', () => {
  it('escapes names and messages, and maps statuses to failure, skipped and system-out', () => {
    const hostile = '<script>alert("x")</script> & \'q\'\u0001';
    const s = subject([
      feature(hostile, { drift: { method: 'psi', statistic: 0.4, pValue: null, threshold: 0.1, drifted: true } }),
      feature('quiet', { drift: null, samples: 3, missingRatio: null }),
      feature('extra', { missingRatio: 0.5 }),
      feature('fine'),
    ]);
    const xml = checkToJunit(runCheckSuite(s, ['drift']));
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('\u0001');
    expect(xml).toContain('name="drift: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;q&apos;"');
    expect(xml).toMatch(/<testsuite name="driftwatch check m v1 \(1h\)" tests="\d+" failures="1" errors="0" skipped="2"/);
    expect(xml).toContain('<failure type="drift" message="drift detected: psi 0.4 ≥ 0.1">');
    expect(xml).toContain('<skipped message="no verdict: 3 values, 100 needed"/>');
    expect(xml).toContain('<system-out>warning (missing is not in --fail-on): missing 50.00% &gt; 5.00%');
    // every element opened is closed
    const opened = xml.match(/<testcase\b[^>]*[^/]>/g)?.length ?? 0;
    expect(xml.match(/<\/testcase>/g)?.length ?? 0).toBe(opened);
    expect(escapeXml('a\uD800b\u00e9')).toBe('ab\u00e9');
  });

  it('keeps line breaks and tabs inside attributes as character references (a parser would turn them into spaces)', () => {
    expect(escapeXmlAttribute('line 1\nline 2\r\n\tx & y')).toBe('line 1&#10;line 2&#13;&#10;&#9;x &amp; y');
    // text nodes keep them as they are
    expect(escapeXml('line 1\nline 2')).toBe('line 1\nline 2');
  });
});

describe('offline performance', () => {
  it('computes exact ROC AUC with ties counted one half', () => {
    expect(exactRocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
    expect(exactRocAuc([0.5, 0.5], [true, false])).toBe(0.5);
    expect(exactRocAuc([0.5, 0.6], [true, true])).toBeUndefined();
  });

  it('gives classification metrics for scores, regression errors for numbers, nothing below the minimum', () => {
    const binary = offlinePerformance([1, 0, 1, 0, null], [0.9, 0.2, 0.4, 0.6, 0.5], 0.5, 2);
    expect(binary.feedbackSamples).toBe(4);
    expect(binary.metrics).toEqual({ accuracy: 0.5, precision: 0.5, recall: 0.5, f1: 0.5, roc_auc: 0.75 });
    expect(offlinePerformance([1, 2, 4], [1.5, 2, 3], 0.5, 1).metrics).toEqual({ mae: 0.5, rmse: Math.sqrt(1.25 / 3) });
    expect(offlinePerformance(['a', 'b'], ['a', 'c'], 0.5, 1).metrics).toEqual({ accuracy: 0.5 });
    expect(offlinePerformance([1, 0], [0.9, 0.1], 0.5, 3).metrics).toEqual({});
  });
});

describe('driftwatch check offline', () => {
  it('passes current data from the reference distribution (CSV reference, JSONL current)', async () => {
    const a = io();
    expect(await runCli(['check', '--reference', train, '--current', same, '--schema', 'income=numeric,plan=categorical'], CLI_VERBS, a)).toBe(0);
    const r = JSON.parse(a.out) as { passed: boolean; tests: Array<{ name: string; status: string }> };
    expect(r.passed).toBe(true);
    expect(r.tests.find((t) => t.name === 'drift: income')?.status).toBe('pass');
    expect(a.err).toContain('PASSED');
  });

  it('fails on a shifted numeric feature, and reports out-of-range values', async () => {
    const a = io();
    expect(await runCli(['check', '--reference', train, '--current', shifted, '--schema', 'income=numeric,plan=categorical', '--fail-on', 'drift'], CLI_VERBS, a)).toBe(1);
    const r = JSON.parse(a.out) as { tests: Array<{ name: string; status: string; detail: string }> };
    expect(r.tests.find((t) => t.name === 'drift: income')).toMatchObject({ status: 'fail' });
    expect(r.tests.find((t) => t.name === 'drift: plan')?.status).toBe('pass');
    expect(r.tests.find((t) => t.name === 'out-of-range: income')?.status).toBe('warn');
    expect(a.err).toContain('failed: drift: income');
  });

  it('flags new categories and missing values in their categories', async () => {
    const a = io();
    expect(await runCli(['check', '--reference', train, '--current', newPlans, '--schema', 'income=numeric,plan=categorical', '--fail-on', 'new-category'], CLI_VERBS, a)).toBe(1);
    expect((JSON.parse(a.out) as { tests: Array<{ name: string; status: string }> }).tests.find((t) => t.name === 'new-category: plan')?.status).toBe('fail');
    const b = io();
    expect(await runCli(['check', '--reference', train, '--current', gappy, '--schema', 'income=numeric,plan=categorical', '--fail-on', 'missing'], CLI_VERBS, b)).toBe(1);
    const missing = (JSON.parse(b.out) as { tests: Array<{ name: string; status: string; value: number }> }).tests.find((t) => t.name === 'missing: income');
    expect(missing?.status).toBe('fail');
    expect(missing?.value).toBeGreaterThan(0.25);
  });

  it('reads a reference profile, checks performance from label and prediction columns, and writes JUnit', async () => {
    const profile = buildReferenceProfile(
      rows(4000, 1).map((d) => ({ income: d.income, plan: d.plan })),
      SCHEMA,
      { model: 'pricing', version: '7', source: 'file' },
    );
    const refFile = join(dir, 'ref.json');
    writeFileSync(refFile, JSON.stringify(profile));
    const out = join(dir, 'report.xml');
    const a = io();
    const args = ['check', '--reference', refFile, '--current', same, '--label', 'label', '--prediction', 'score', '--fail-on', 'drift,performance', '--min-roc-auc', '0.8', '--junit', '-o', out];
    expect(await runCli(args, CLI_VERBS, a)).toBe(0);
    const xml = readFileSync(out, 'utf8');
    expect(xml).toContain('<testsuite name="driftwatch check pricing v7"');
    expect(xml).toContain('name="performance: roc_auc ≥ 0.8"/>');
    expect(a.out).toBe('');
    const b = io();
    expect(await runCli([...args.slice(0, -5), '--min-roc-auc', '0.9'], CLI_VERBS, b)).toBe(1);
    expect(b.out).toContain('"name": "performance: roc_auc ≥ 0.9"');
  });

  it('answers usage errors with exit code 2', async () => {
    const cases: Array<[string[], string]> = [
      [['check', '--reference', train], 'offline checks need both --reference and --current'],
      [['check', '--version', '1'], '--model is required'],
      [['check', '--model', 'm', '--version', '1', '--fail-on', 'vibes'], '--fail-on: unknown test "vibes"'],
      [['check', '--model', 'm', '--version', '1', '--schema', 'a=numeric'], '--schema is for offline checks'],
      [['check', '--reference', train, '--current', same, '--url', 'http://x'], '--url is for checks against a running aggregator'],
      [['check', '--reference', train, '--current', same, '--fail-on', 'performance'], '--fail-on performance offline needs --label and --prediction'],
      [['check', '--reference', train, '--current', same, '--drift-threshold', '0.2'], '--drift-threshold needs --method'],
      [['check', '--reference', train, '--current', same, '--method', 'speed'], '--method must be one of psi'],
    ];
    for (const [args, message] of cases) {
      const a = io();
      expect(await runCli(args, CLI_VERBS, a), args.join(' ')).toBe(2);
      expect(a.err).toContain(message);
    }
  });
});

describe('driftwatch check against a running aggregator', () => {
  let aggregator: Aggregator;
  let url: string;

  beforeAll(async () => {
    aggregator = createAggregator(
      { host: '127.0.0.1', otlpPort: 0, httpPort: 0, dataDir: ':memory:', adminToken: 'secret', models: { pricing: { sla: { min_accuracy: 0.9 } } } },
      { timers: false, logger: { info: () => {}, warn: () => {}, error: () => {} } },
    );
    await aggregator.start();
    url = `http://127.0.0.1:${aggregator.httpPort}`;
    aggregator.setReference(buildReferenceProfile(rows(4000, 1), SCHEMA, { model: 'pricing', version: '7', source: 'file' }));
    const model = (row: Row): number => row.score;
    const predict = monitor(model, {
      model: 'pricing',
      version: '7',
      features: SCHEMA,
      extract: (row: Row) => ({ income: row.income, plan: row.plan }),
      output: 'probability',
      endpoint: `http://127.0.0.1:${aggregator.otlpPort}`,
      exportIntervalMillis: 60_000,
    });
    for (const row of rows(600, 9, { incomeFactor: 1.5 })) predict(row);
    await predict.shutdown();
    aggregator.evaluateNow();
  });

  afterAll(async () => {
    await aggregator.stop();
  });

  it('fails the drifted feature with the aggregator’s own numbers, sending the admin token', async () => {
    const a = io({ DRIFTWATCH_ADMIN_TOKEN: 'secret' });
    expect(await runCli(['check', '--model', 'pricing', '--version', '7', '--url', url, '--fail-on', 'drift,missing'], CLI_VERBS, a)).toBe(1);
    const r = JSON.parse(a.out) as { window: string; source: string; tests: Array<{ name: string; status: string; value: number }> };
    expect(r.window).toBe('1h');
    expect(r.source).toBe(`aggregator ${url}`);
    expect(r.tests.find((t) => t.name === 'drift: income')?.status).toBe('fail');
    expect(r.tests.find((t) => t.name === 'drift: plan')?.status).toBe('pass');
    expect(r.tests.find((t) => t.name === 'missing: income')?.status).toBe('pass');
  });

  it('finds the aggregator through DRIFTWATCH_URL, like the registry verbs', async () => {
    const a = io({ DRIFTWATCH_ADMIN_TOKEN: 'secret', DRIFTWATCH_URL: url });
    expect(await runCli(['check', '--model', 'pricing', '--version', '7', '--fail-on', 'missing'], CLI_VERBS, a)).toBe(0);
    expect((JSON.parse(a.out) as { source: string }).source).toBe(`aggregator ${url}`);
  });

  it('fails the performance gate when no labels arrived, using the SLA from the config', async () => {
    const a = io();
    expect(await runCli(['check', '--model', 'pricing', '--version', '7', '--url', url, '--fail-on', 'performance'], CLI_VERBS, a)).toBe(1);
    expect(a.out).toContain('"name": "performance: accuracy ≥ 0.9"');
    expect(a.out).toContain('accuracy not measured');
  });

  it('sends the token and reports unknown models and unreachable aggregators', async () => {
    let auth: string | null = null;
    const spy: typeof fetch = async (input, init) => {
      auth = new Headers(init?.headers).get('authorization');
      return fetch(input, init);
    };
    await onlineCheckSubject({ url, model: 'pricing', version: '7', token: 'secret', fetch: spy });
    expect(auth).toBe('Bearer secret');
    const a = io();
    expect(await runCli(['check', '--model', 'nope', '--version', '1', '--url', url], CLI_VERBS, a)).toBe(1);
    expect(a.err).toContain('HTTP 404: unknown model "nope"');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const b = io();
    expect(await runCli(['check', '--model', 'pricing', '--version', '7', '--url', `http://127.0.0.1:${port}`], CLI_VERBS, b)).toBe(1);
    expect(b.err).toContain(`cannot reach the aggregator at http://127.0.0.1:${port}: connect ECONNREFUSED`);
  });
});
