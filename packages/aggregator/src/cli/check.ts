import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { DriftMethod } from '@driftwatch/stats';
import { DEFAULTS, DRIFT_METHODS } from '../config/resolve-config.js';
import { checkToJunit } from './check-junit.js';
import { offlineCheckSubject } from './check-offline.js';
import { onlineCheckSubject } from './check-online.js';
import { CHECK_CATEGORIES, CheckConfigError, DEFAULT_CHECK_THRESHOLDS, parseFailOn, runCheckSuite, type CheckResult, type CheckSubject, type CheckThresholds } from './check-suite.js';
import { parseSchemaOption } from './schema-option.js';
import { UsageError, type CliVerb } from './verbs.js';

const DEFAULT_URL = 'http://127.0.0.1:9464';
const DEFAULT_FAIL_ON = 'drift,missing';

const HELP = `Usage: driftwatch check --model <name> --version <version> [--fail-on drift,missing,performance] [options]
       driftwatch check --reference <ref.json|train.csv|train.jsonl> --current <data.csv|data.jsonl> [options]

Evaluates a model version against its reference, like an Evidently TestSuite, for a CI gate: exit 0 when no test
in --fail-on fails, 1 when one does (or the check cannot run), 2 on usage errors. Output: JSON, or JUnit XML.

Online (default): reads the latest evaluation of a running aggregator (GET /api/v1/models/{model}/drift).
Offline (--reference and --current): profiles both files and runs the same drift tests on their sketches.

Tests (each category is reported; --fail-on picks those that fail the run, the others are warnings):
  drift         per feature: the drift verdict (method and threshold as configured); dataset drift;
                prediction drift per output; and at least one feature must have a verdict
  missing       per feature: missing ratio ≤ the reference's + --max-missing-increase
  new-category  per categorical feature: share of unseen categories ≤ --max-new-category-ratio
  out-of-range  per numeric feature: share outside the reference range ≤ --max-out-of-range-ratio
  performance   accuracy ≥ --min-accuracy, ROC AUC ≥ --min-roc-auc, MAE ≤ --max-mae (default: the model's SLA);
                a metric that was not measured fails

Options:
  --model <name>               model name (offline: default the reference profile's)
  --version <version>          model version (offline: default the reference profile's)
  --fail-on <list>             comma-separated categories (default ${DEFAULT_FAIL_ON}): ${CHECK_CATEGORIES.join(', ')}
  --junit                      write JUnit XML instead of JSON
  -o, --output <file>          write the result to a file (default stdout)
  --max-missing-increase <r>   default ${DEFAULT_CHECK_THRESHOLDS.maxMissingIncrease}
  --max-new-category-ratio <r> default ${DEFAULT_CHECK_THRESHOLDS.maxNewCategoryRatio}
  --max-out-of-range-ratio <r> default ${DEFAULT_CHECK_THRESHOLDS.maxOutOfRangeRatio}
  --max-drift-share <r>        dataset drift test: share of drifted features allowed (default: the SLA's
                               max_drift_share, else the aggregator's dataset drift verdict)
  --min-accuracy <x>, --min-roc-auc <x>, --max-mae <x>   performance thresholds (override the SLA)
Online:
  --url <url>                  the aggregator's API (default ${DEFAULT_URL}; env DRIFTWATCH_URL)
  --token <token>              bearer token sent with the request (default env DRIFTWATCH_ADMIN_TOKEN)
  --window <name>              window to check (default the model's first, e.g. 1h)
Offline:
  --reference <file>           reference profile (driftwatch.reference/v1 JSON) or training data (CSV/JSONL)
  --current <file>             current data (CSV/JSONL)
  --schema <name=type,...>     feature columns (default: the profile's features, else inferred from the reference data)
  --format <csv|jsonl>         format of data files whose extension does not tell
  --label <column>             true labels in the current data (for performance)
  --prediction <column>        model scores or classes in the current data (for performance)
  --threshold <p>              score threshold of binary classification (default 0.5)
  --min-samples <n>            values needed for a verdict (default ${DEFAULTS.minSamples})
  --method <method>            drift method for every feature (default: chosen per feature); one of ${DRIFT_METHODS.join(', ')}
  --drift-threshold <x>        threshold of --method
  --dataset-drift-share <r>    dataset drift at this share of drifted features (default ${DEFAULTS.datasetDriftShare})
  -h, --help                   show this help
`;

function ratio(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a non-negative number, got ${JSON.stringify(value)}`);
  return n;
}

function summaryLine(r: CheckResult): string {
  const s = r.summary;
  const failed = r.tests.filter((t) => t.status === 'fail').map((t) => t.name);
  return (
    `driftwatch check: model ${r.model} version ${r.version}${r.window === null ? '' : ` window ${r.window}`}: ${r.passed ? 'PASSED' : 'FAILED'} — ` +
    `${s.passed} passed, ${s.failed} failed, ${s.warnings} warnings, ${s.skipped} skipped` +
    (failed.length > 0 ? `; failed: ${failed.slice(0, 5).join('; ')}${failed.length > 5 ? '; …' : ''}` : '')
  );
}

export const checkVerb: CliVerb = {
  name: 'check',
  summary: 'test a model version against its reference (drift, data quality, performance) for CI; JSON or JUnit',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        model: { type: 'string' },
        version: { type: 'string' },
        'fail-on': { type: 'string' },
        junit: { type: 'boolean' },
        output: { type: 'string', short: 'o' },
        'max-missing-increase': { type: 'string' },
        'max-new-category-ratio': { type: 'string' },
        'max-out-of-range-ratio': { type: 'string' },
        'max-drift-share': { type: 'string' },
        'min-accuracy': { type: 'string' },
        'min-roc-auc': { type: 'string' },
        'max-mae': { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        window: { type: 'string' },
        reference: { type: 'string' },
        current: { type: 'string' },
        schema: { type: 'string' },
        format: { type: 'string' },
        label: { type: 'string' },
        prediction: { type: 'string' },
        threshold: { type: 'string' },
        'min-samples': { type: 'string' },
        method: { type: 'string' },
        'drift-threshold': { type: 'string' },
        'dataset-drift-share': { type: 'string' },
      },
      allowPositionals: false,
      strict: true,
    });
    void positionals;
    let failOn;
    try {
      failOn = parseFailOn(values['fail-on'] ?? DEFAULT_FAIL_ON);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const optional = (name: string, v: number | undefined): Record<string, number> => (v === undefined ? {} : { [name]: v });
    const thresholds: CheckThresholds = {
      maxMissingIncrease: ratio('max-missing-increase', values['max-missing-increase']) ?? DEFAULT_CHECK_THRESHOLDS.maxMissingIncrease,
      maxNewCategoryRatio: ratio('max-new-category-ratio', values['max-new-category-ratio']) ?? DEFAULT_CHECK_THRESHOLDS.maxNewCategoryRatio,
      maxOutOfRangeRatio: ratio('max-out-of-range-ratio', values['max-out-of-range-ratio']) ?? DEFAULT_CHECK_THRESHOLDS.maxOutOfRangeRatio,
      ...optional('maxDriftShare', ratio('max-drift-share', values['max-drift-share'])),
      ...optional('minAccuracy', ratio('min-accuracy', values['min-accuracy'])),
      ...optional('minRocAuc', ratio('min-roc-auc', values['min-roc-auc'])),
      ...optional('maxMae', ratio('max-mae', values['max-mae'])),
    };
    const offline = values.reference !== undefined || values.current !== undefined;
    const onlineOnly = (['url', 'token', 'window'] as const).filter((k) => values[k] !== undefined);
    const offlineOnly = (['schema', 'format', 'label', 'prediction', 'threshold', 'min-samples', 'method', 'drift-threshold', 'dataset-drift-share'] as const).filter((k) => values[k] !== undefined);
    let subject: CheckSubject;
    if (offline) {
      if (values.reference === undefined || values.current === undefined) throw new UsageError('offline checks need both --reference and --current');
      if (onlineOnly.length > 0) throw new UsageError(`--${onlineOnly[0] as string} is for checks against a running aggregator, not --reference/--current`);
      const format = values.format;
      if (format !== undefined && format !== 'csv' && format !== 'jsonl') throw new UsageError('--format must be csv or jsonl');
      const method = values.method;
      if (method !== undefined && !(DRIFT_METHODS as readonly string[]).includes(method)) throw new UsageError(`--method must be one of ${DRIFT_METHODS.join(', ')}`);
      const driftThreshold = ratio('drift-threshold', values['drift-threshold']);
      if (driftThreshold !== undefined && method === undefined) throw new UsageError('--drift-threshold needs --method (the default method differs per feature)');
      const minSamples = ratio('min-samples', values['min-samples']) ?? DEFAULTS.minSamples;
      if (!Number.isInteger(minSamples) || minSamples < 1) throw new UsageError('--min-samples must be a positive integer');
      const share = ratio('dataset-drift-share', values['dataset-drift-share']) ?? DEFAULTS.datasetDriftShare;
      if (share > 1) throw new UsageError('--dataset-drift-share must be in [0, 1]');
      if (failOn.includes('performance') && (values.label === undefined || values.prediction === undefined)) {
        throw new UsageError('--fail-on performance offline needs --label and --prediction columns');
      }
      subject = await offlineCheckSubject({
        referencePath: values.reference,
        currentPath: values.current,
        ...(values.model === undefined ? {} : { model: values.model }),
        ...(values.version === undefined ? {} : { version: values.version }),
        ...(values.schema === undefined ? {} : { schema: parseSchemaOption(values.schema, '--schema') }),
        ...(format === undefined ? {} : { format }),
        ...(values.label === undefined ? {} : { label: values.label }),
        ...(values.prediction === undefined ? {} : { prediction: values.prediction }),
        ...optional('threshold', ratio('threshold', values.threshold)),
        minSamples,
        ...(method === undefined ? {} : { method: method as DriftMethod }),
        ...(driftThreshold === undefined ? {} : { driftThreshold }),
        datasetDriftShare: share,
      });
    } else {
      if (!values.model) throw new UsageError('--model is required (or give --reference and --current for an offline check)');
      if (!values.version) throw new UsageError('--version is required');
      if (offlineOnly.length > 0) throw new UsageError(`--${offlineOnly[0] as string} is for offline checks (--reference and --current)`);
      const token = values.token ?? io.env['DRIFTWATCH_ADMIN_TOKEN'];
      subject = await onlineCheckSubject({
        url: values.url ?? io.env['DRIFTWATCH_URL'] ?? DEFAULT_URL,
        model: values.model,
        version: values.version,
        ...(values.window === undefined ? {} : { window: values.window }),
        ...(token ? { token } : {}),
      });
    }
    let result: CheckResult;
    try {
      result = runCheckSuite(subject, failOn, thresholds);
    } catch (err) {
      if (err instanceof CheckConfigError) throw new UsageError(err.message);
      throw err;
    }
    const text = values.junit ? checkToJunit(result) : `${JSON.stringify(result, null, 2)}\n`;
    if (values.output) writeFileSync(values.output, text);
    else io.stdout.write(text);
    io.stderr.write(`${summaryLine(result)}\n`);
    return result.passed ? 0 : 1;
  },
};
