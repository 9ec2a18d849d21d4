import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { buildReferenceProfile, type FeatureSchema, type FeatureType } from '@driftwatch/stats';
import { csvCell } from './csv-cells.js';
import { csvRecords } from './csv-records.js';
import { readLines, type LineProgress } from './line-reader.js';
import { PROGRESS_MIN_BYTES, createProgressBar } from './progress-bar.js';
import { parseSchemaOption } from './schema-option.js';
import { UsageError, type CliVerb } from './verbs.js';

const HELP = `Usage: driftwatch reference build <data.csv|data.jsonl> --model <name> --version <version> [-o ref.json] [options]

Profiles training data into a reference (driftwatch.reference/v1 JSON) in one streaming pass.

Options:
  --model <name>              model name (ml.model.name)
  --version <version>         model version (ml.model.version)
  -o, --output <file>         where to write the profile (default: stdout)
  --schema <name=type,...>    feature columns and types (numeric, categorical, boolean, embedding, text);
                              default: inferred from the first ${1000} rows like the SDK does
  --outputs <name=type,...>   model output columns to profile too (e.g. score=numeric)
  --format <csv|jsonl>        input format (default: from the file extension)
  -h, --help                  show this help

CSV: first line is the header; empty cells are missing. JSONL: one JSON object per line.
`;

const INFER_ROWS = 1000;

type Row = Record<string, unknown>;

/** Rows of a CSV file as objects (null prototype), cells converted for `types` (or guessed when a column has no type). */
export function* csvRows(lines: Iterable<string>, types: () => FeatureSchema | undefined): Generator<Row> {
  let header: string[] | undefined;
  for (const { fields, line } of csvRecords(lines)) {
    if (!header) {
      header = fields.map((f) => f.trim());
      continue;
    }
    if (fields.length > header.length) throw new Error(`line ${line}: ${fields.length} fields, the header has ${header.length}`);
    const schema = types();
    const row = Object.create(null) as Row;
    header.forEach((name, i) => {
      const type: FeatureType | undefined = schema && Object.hasOwn(schema, name) ? schema[name] : undefined;
      row[name] = csvCell(fields[i] ?? '', type);
    });
    yield row;
  }
}

/** Rows of a JSON Lines file (one object per line, blank lines skipped); throws naming the line of a bad one. */
export function* jsonlRows(lines: Iterable<string>): Generator<Row> {
  let n = 0;
  for (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new Error(`line ${n}: not JSON: ${(err as Error).message}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`line ${n}: expected a JSON object`);
    yield value as Row;
  }
}

export const referenceBuildVerb: CliVerb = {
  name: 'reference build',
  summary: 'build a reference profile from training data (CSV or JSONL)',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        model: { type: 'string' },
        version: { type: 'string' },
        output: { type: 'string', short: 'o' },
        schema: { type: 'string' },
        outputs: { type: 'string' },
        format: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    const file = positionals[0];
    if (file === undefined || positionals.length > 1) throw new UsageError('give exactly one data file');
    if (!values.model) throw new UsageError('--model is required');
    if (!values.version) throw new UsageError('--version is required');
    const format = values.format ?? (extname(file).toLowerCase() === '.csv' ? 'csv' : ['.jsonl', '.ndjson', '.json'].includes(extname(file).toLowerCase()) ? 'jsonl' : undefined);
    if (format !== 'csv' && format !== 'jsonl') throw new UsageError(`--format must be csv or jsonl (cannot tell from ${JSON.stringify(extname(file))})`);
    const outputs = values.outputs === undefined ? undefined : parseSchemaOption(values.outputs, '--outputs');
    let schema = values.schema === undefined ? undefined : parseSchemaOption(values.schema, '--schema');

    let progress: LineProgress = { bytesRead: 0, totalBytes: 0 };
    let rowCount = 0;
    // drawn on a terminal only: carriage-return redraws would fill a CI log
    const bar = createProgressBar(io.stderr, io.stderr.isTTY === true);
    let barEnabled: boolean | undefined;
    const onProgress = (p: LineProgress): void => {
      progress = p;
      barEnabled ??= p.totalBytes >= PROGRESS_MIN_BYTES;
      if (barEnabled) bar.update(p.bytesRead, p.totalBytes, rowCount);
    };
    // column types for CSV conversion: the schema, plus the outputs
    const types = (): FeatureSchema | undefined => (schema ? { ...schema, ...(outputs ?? {}) } : undefined);
    const rowsOf = (): Generator<Row> => (format === 'csv' ? csvRows(readLines(file, onProgress), types) : jsonlRows(readLines(file, onProgress)));

    if (!schema) {
      const { inferSchema } = await import('@driftwatch/instrument');
      const sample: Row[] = [];
      for (const row of rowsOf()) {
        sample.push(row);
        if (sample.length >= INFER_ROWS) break;
      }
      const inferred = inferSchema(sample);
      for (const name of Object.keys(outputs ?? {})) delete inferred[name];
      if (Object.keys(inferred).length === 0) throw new Error(`no feature columns could be inferred from ${file}; pass --schema`);
      schema = inferred;
      io.stderr.write(`driftwatch: inferred schema ${Object.entries(schema).map(([n, t]) => `${n}=${t}`).join(',')}\n`);
    }
    const counted = function* (): Generator<Row> {
      for (const row of rowsOf()) {
        rowCount++;
        yield row;
      }
    };
    const profile = buildReferenceProfile(counted(), schema, { model: values.model, version: values.version, source: 'file', ...(outputs ? { outputs } : {}) });
    if (barEnabled) bar.done(progress.bytesRead, progress.totalBytes, rowCount);
    // a column named in --schema or --outputs that has no value at all is most likely misspelt (or not in the file)
    for (const [option, named, profiled] of [
      ['--schema', values.schema === undefined ? {} : schema, profile.features],
      ['--outputs', outputs ?? {}, profile.outputs ?? {}],
    ] as const) {
      const empty = Object.keys(named).filter((name) => (profiled[name]?.count ?? 0) === 0);
      if (empty.length > 0 && profile.rowCount > 0) {
        throw new Error(`${option}: no values for ${empty.map((n) => JSON.stringify(n)).join(', ')} in the ${profile.rowCount} rows of ${file}; check the column names`);
      }
    }
    const json = `${JSON.stringify(profile)}\n`;
    if (values.output) {
      writeFileSync(values.output, json);
      io.stderr.write(`driftwatch: wrote ${values.output}: ${profile.rowCount} rows, ${Object.keys(profile.features).length} features${profile.outputs ? `, ${Object.keys(profile.outputs).length} outputs` : ''}\n`);
    } else io.stdout.write(json);
    return 0;
  },
};
