import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateReferenceProfile } from '@driftwatch/stats';
import { describe, expect, it } from 'vitest';
import { csvCell } from './csv-cells.js';
import { csvRecords } from './csv-records.js';
import { readLines } from './line-reader.js';
import { createProgressBar } from './progress-bar.js';
import { parseSchemaOption } from './schema-option.js';
import { CLI_VERBS } from './verb-list.js';
import { runCli, type CliIo } from './verbs.js';

function io(): CliIo & { out: string; err: string } {
  const self = {
    out: '',
    err: '',
    stdout: { write: (t: string) => (self.out += t) },
    stderr: { write: (t: string) => (self.err += t) },
    env: {},
    stopSignal: new Promise<string>(() => {}),
  };
  return self;
}

const dir = mkdtempSync(join(tmpdir(), 'dw-cli-'));

describe('line reader and CSV', () => {
  it('reads lines across chunks, CRLF and multi-byte characters', () => {
    const file = join(dir, 'lines.txt');
    const long = 'é'.repeat(70_000);
    writeFileSync(file, `\ufeffa,b\r\n${long}\nlast`);
    const seen: number[] = [];
    expect([...readLines(file, (p) => seen.push(p.bytesRead))]).toEqual(['a,b', long, 'last']);
    expect(seen.at(-1)).toBe(Buffer.byteLength(`\ufeffa,b\r\n${long}\nlast`));
  });

  it('parses quoted fields, escaped quotes and multi-line records', () => {
    const records = [...csvRecords(['a,"b,c","say ""hi"""', '', '1,"two', 'lines",3'])];
    expect(records).toEqual([
      { fields: ['a', 'b,c', 'say "hi"'], line: 1 },
      { fields: ['1', 'two\nlines', '3'], line: 3 },
    ]);
    expect(() => [...csvRecords(['"open'])]).toThrow('line 1: unterminated quoted field');
  });

  it('converts cells by feature type', () => {
    expect(csvCell('42', 'numeric')).toBe(42);
    expect(csvCell('4e2', undefined)).toBe(400);
    expect(csvCell('', 'categorical')).toBeUndefined();
    expect(csvCell('007', 'categorical')).toBe('007');
    expect(csvCell('1', 'boolean')).toBe(true);
    expect(csvCell('[1, 2]', 'embedding')).toEqual([1, 2]);
    expect(csvCell('abc', 'numeric')).toBe('abc');
  });

  it('parses --schema and names bad entries', () => {
    expect({ ...parseSchemaOption('age=numeric, plan=categorical', '--schema') }).toEqual({ age: 'numeric', plan: 'categorical' });
    expect(() => parseSchemaOption('age=number', '--schema')).toThrow('--schema: age=number: type must be one of numeric, categorical, boolean, embedding, text');
  });

  it('draws a progress bar when enabled', () => {
    let out = '';
    let t = 0;
    const bar = createProgressBar({ write: (s: string) => (out += s) }, true, () => (t += 200));
    bar.update(50, 100, 10);
    bar.done(100, 100, 20);
    expect(out).toContain(' 50%');
    expect(out.trimEnd().endsWith('100%  0.0/0.0 MiB  20 rows')).toBe(true);
  });
});

describe('driftwatch CLI', () => {
  it('prints help and rejects unknown commands', async () => {
    const a = io();
    expect(await runCli(['--help'], CLI_VERBS, a)).toBe(0);
    expect(a.out).toContain('reference build');
    const b = io();
    expect(await runCli(['frobnicate'], CLI_VERBS, b)).toBe(2);
    expect(b.err).toContain('unknown command');
    const c = io();
    expect(await runCli(['serve', '--help'], CLI_VERBS, c)).toBe(0);
    expect(c.out).toContain('--otlp-port');
  });

  it('lists the commands of a group, prints the version, and names a bad serve flag (exit 2)', async () => {
    const a = io();
    expect(await runCli(['registry', '--help'], CLI_VERBS, a)).toBe(0);
    expect(a.out).toContain('Usage: driftwatch registry <command> [options]');
    expect(a.out).toContain('registry rollback');
    expect(a.out).not.toContain('reference build');
    const b = io();
    expect(await runCli(['reference'], CLI_VERBS, b)).toBe(2);
    expect(b.out).toContain('reference push');
    const c = io();
    expect(await runCli(['registry', 'frobnicate'], CLI_VERBS, c)).toBe(2);
    expect(c.err).toContain('unknown command "registry frobnicate"');
    const d = io();
    expect(await runCli(['--version'], CLI_VERBS, d, '1.2.3')).toBe(0);
    expect(d.out).toBe('driftwatch 1.2.3\n');
    const e = io();
    expect(await runCli(['serve', '--otlp-port', 'abc'], CLI_VERBS, e)).toBe(2);
    expect(e.err).toContain('driftwatch serve: --otlp-port: "abc" is not a port number (0-65535)');
    expect(e.err).toContain('Usage: driftwatch serve');
  });

  it('refuses a --schema or --outputs column without a single value in the data (a misspelt name)', async () => {
    const file = join(dir, 'typo.csv');
    writeFileSync(file, 'tenure,score\n1,0.5\n2,0.25\n');
    const a = io();
    expect(await runCli(['reference', 'build', file, '--model', 'm', '--version', '1', '--schema', 'tenure=numeric,tenur=numeric'], CLI_VERBS, a)).toBe(1);
    expect(a.err).toContain(`--schema: no values for "tenur" in the 2 rows of ${file}; check the column names`);
    expect(a.out).toBe('');
    const b = io();
    expect(await runCli(['reference', 'build', file, '--model', 'm', '--version', '1', '--outputs', 'scor=numeric'], CLI_VERBS, b)).toBe(1);
    expect(b.err).toContain('--outputs: no values for "scor"');
    const c = io();
    expect(await runCli(['reference', 'build', file, '--model', 'm', '--version', '1', '--schema', 'tenure=numeric', '--outputs', 'score=numeric'], CLI_VERBS, c)).toBe(0);
  });

  it('draws the progress bar of a large file on a terminal only', async () => {
    const file = join(dir, 'large.csv');
    const pad = 'x'.repeat(1000);
    writeFileSync(file, `a,pad\n${Array.from({ length: 8600 }, (_, i) => `${i % 100},${pad}`).join('\n')}\n`);
    const args = ['reference', 'build', file, '--model', 'm', '--version', '1', '--schema', 'a=numeric', '-o', join(dir, 'large.json')];
    const log = io();
    expect(await runCli(args, CLI_VERBS, log)).toBe(0);
    expect(log.err).not.toContain('MiB');
    const tty = io();
    tty.stderr.isTTY = true;
    expect(await runCli(args, CLI_VERBS, tty)).toBe(0);
    expect(tty.err).toMatch(/\r\[#+\] 100% {2}8\.\d\/8\.\d MiB {2}8600 rows\n/);
  });

  it('builds a reference from CSV with an inferred schema', async () => {
    const file = join(dir, 'train.csv');
    const rows = ['tenure,plan,churned,score'];
    for (let i = 0; i < 300; i++) rows.push(`${i % 50},${['basic', 'pro', 'max'][i % 3]},${i % 2 === 0},${(i % 10) / 10}`);
    rows.push(',"pro",false,0.5');
    writeFileSync(file, `${rows.join('\n')}\n`);
    const out = join(dir, 'ref.json');
    const a = io();
    expect(await runCli(['reference', 'build', file, '--model', 'churn', '--version', '3', '-o', out, '--outputs', 'score=numeric'], CLI_VERBS, a)).toBe(0);
    const profile = validateReferenceProfile(JSON.parse(readFileSync(out, 'utf8')));
    expect(profile.rowCount).toBe(301);
    expect(profile.source).toBe('file');
    expect(profile.features['tenure']?.type).toBe('numeric');
    expect(profile.features['tenure']?.missing).toBe(1);
    expect(profile.features['plan']?.type).toBe('categorical');
    expect(profile.features['churned']?.type).toBe('boolean');
    expect(profile.features['score']).toBeUndefined();
    expect(profile.outputs?.['score']?.count).toBe(301);
    expect(a.err).toContain('inferred schema');
  });

  it('builds from JSONL with an explicit schema and reports bad lines', async () => {
    const file = join(dir, 'train.jsonl');
    writeFileSync(file, '{"x": 1, "c": "a"}\n\n{"x": 2.5, "c": "b"}\n');
    const a = io();
    expect(await runCli(['reference', 'build', file, '--model', 'm', '--version', '1', '--schema', 'x=numeric,c=categorical'], CLI_VERBS, a)).toBe(0);
    const profile = validateReferenceProfile(JSON.parse(a.out));
    expect(profile.features['x']?.numeric?.max).toBe(2.5);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"x": 1}\n[1]\n');
    const b = io();
    expect(await runCli(['reference', 'build', bad, '--model', 'm', '--version', '1', '--schema', 'x=numeric'], CLI_VERBS, b)).toBe(1);
    expect(b.err).toContain('line 2: expected a JSON object');
    const c = io();
    expect(await runCli(['reference', 'build', file, '--version', '1'], CLI_VERBS, c)).toBe(2);
    expect(c.err).toContain('--model is required');
  });
});
