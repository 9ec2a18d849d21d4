// Sampled prediction records: parsing the OTLP log records, CSV escaping, and — through a running aggregator —
// storage with deduplication, late-label joins, bounded retention (rows and age) and the streaming jsonl/csv export.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttributeValue, LogRecord } from '@driftwatch/otlp';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAggregator, type Aggregator } from '../aggregator.js';
import { postJson, quietLogger, recordsExport } from '../testing/retraining-fixtures.test-support.js';
import { csvField, csvJsonField, csvLine } from './csv-cell.js';
import { parseLogRecord } from './prediction-record.js';

const NOW = Date.UTC(2026, 0, 5, 12, 0, 0);
const MIN = 60_000;

/** An independent RFC 4180 reader (the test oracle): CRLF or LF record ends, quoted fields with "" escapes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

describe('csvField (RFC 4180)', () => {
  it('quotes fields with commas, quotes, CR/LF or edge white space, and leaves the rest alone', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField('=SUM(A1)')).toBe('=SUM(A1)');
    expect(csvField('')).toBe('');
    expect(csvJsonField(null)).toBe('');
    expect(csvJsonField(-1.5)).toBe('-1.5');
    expect(csvJsonField(true)).toBe('true');
    expect(csvJsonField([0.1, 0.9])).toBe('"[0.1,0.9]"');
    expect(csvJsonField({ a: 'x,y' })).toBe('"{""a"":""x,y""}"');
  });

  it('round-trips any strings through a CSV reader (seeded property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const text = rows.map((r) => csvLine(r.map(csvField))).join('');
        // a row of one empty field is an empty line, which readers take as no row; keep the oracle honest
        const expected = rows.map((r) => (r.length === 1 && r[0] === '' ? [''] : r));
        expect(parseCsv(text).map((r) => (r.length === 0 ? [''] : r))).toEqual(expected);
      }),
      { seed: 4318, numRuns: 300 },
    );
  });
});

const kv = (entries: Record<string, AttributeValue>): { readonly [key: string]: AttributeValue } => {
  const out = Object.create(null) as Record<string, AttributeValue>;
  for (const [k, v] of Object.entries(entries)) out[k] = v;
  return out;
};

function logRecord(attributes: Record<string, AttributeValue>, body: AttributeValue, timeMs = NOW - MIN, eventName = 'ml.model.record'): LogRecord {
  return {
    timeUnixNano: BigInt(timeMs) * 1_000_000n,
    observedTimeUnixNano: 0n,
    severityNumber: 9,
    severityText: '',
    body,
    attributes: kv(attributes),
    eventName,
    flags: 0,
  };
}

const ids = { 'ml.model.name': 'churn', 'ml.model.version': '3', 'ml.prediction.id': 'p-1' };

describe('parseLogRecord', () => {
  it('reads a kvlist body (OTel JS logger.emit) and a JSON string body (the SDK) alike', () => {
    const fromKv = parseLogRecord(logRecord(ids, kv({ features: kv({ tenure: 3, plan: 'pro', emb: [1, 2] }), output: 0.7 })), NOW);
    const fromText = parseLogRecord(logRecord(ids, '{"features":{"tenure":3,"plan":"pro","emb":[1,2]},"output":0.7}'), NOW);
    expect(fromKv).toEqual(fromText);
    expect(fromKv).toMatchObject({ kind: 'record', model: 'churn', version: '3', predictionId: 'p-1', timeMs: NOW - MIN, role: 'primary', featureNames: ['tenure', 'plan', 'emb'], outputJson: '0.7', labelJson: null });
  });

  it('keeps __proto__ as a plain feature name, big ints as strings and clamps future times to the receipt time', () => {
    const r = parseLogRecord(logRecord(ids, kv({ features: kv(Object.fromEntries<AttributeValue>([['__proto__', 1], ['big', 2n ** 70n]])), output: null }), NOW + 3_600_000), NOW);
    expect(r).toMatchObject({ kind: 'record', timeMs: NOW, featuresJson: `{"__proto__":1,"big":"${(2n ** 70n).toString()}"}` });
    expect(({} as Record<string, unknown>)['big']).toBeUndefined();
  });

  it('reads labels, ignores other events and rejects what misses the required attributes or shape', () => {
    expect(parseLogRecord(logRecord({ 'ml.model.name': 'churn', 'ml.prediction.id': 'p-1' }, '{"label":1}', NOW, 'ml.model.label'), NOW)).toEqual({
      kind: 'label',
      model: 'churn',
      predictionId: 'p-1',
      timeMs: NOW,
      labelJson: '1',
    });
    expect(parseLogRecord(logRecord(ids, 'x', NOW, 'app.started'), NOW)).toEqual({ kind: 'ignored' });
    expect(parseLogRecord({ ...logRecord({ ...ids, 'event.name': 'ml.model.record' }, '{"features":{}}'), eventName: '' }, NOW).kind).toBe('record');
    const reasons = [
      logRecord({ 'ml.model.name': 'churn', 'ml.prediction.id': 'p' }, '{"features":{}}'),
      logRecord({ 'ml.model.name': 'churn', 'ml.model.version': '3' }, '{"features":{}}'),
      logRecord(ids, 'not json'),
      logRecord(ids, '{"features":[1,2]}'),
      logRecord(ids, 42),
      logRecord(ids, JSON.stringify({ features: { blob: 'x'.repeat(70_000) } })),
      logRecord({ 'ml.model.name': 'churn', 'ml.prediction.id': 'p' }, '{}', NOW, 'ml.model.label'),
      logRecord({ ...ids, 'ml.prediction.id': 'x'.repeat(257) }, '{"features":{}}'),
    ].map((r) => {
      const parsed = parseLogRecord(r, NOW);
      return parsed.kind === 'rejected' ? parsed.reason : parsed.kind;
    });
    expect(reasons).toEqual([
      'ml.model.record without ml.model.version',
      'ml.model.record without ml.prediction.id',
      'ml.model.record: body is a string but not JSON',
      'ml.model.record: body.features must be an object',
      'ml.model.record: body must be a key-value map or a JSON object string',
      'ml.model.record: body larger than 65536 bytes',
      'ml.model.label without a label in its body',
      'ml.prediction.id longer than 256 characters',
    ]);
  });
});

describe('records through the aggregator', () => {
  let clock = NOW;
  let dir: string;
  let a: Aggregator;
  const ADMIN = 'admin-token';

  const start = async (records: Record<string, unknown> = {}): Promise<Aggregator> => {
    const agg = createAggregator({ dataDir: dir, httpPort: 0, otlpPort: 0, adminToken: ADMIN, records }, { now: () => clock, timers: false, logger: quietLogger() });
    await agg.start();
    return agg;
  };
  const send = async (items: Parameters<typeof recordsExport>[0], model = 'churn') => postJson(`http://127.0.0.1:${a.otlpPort}/v1/logs`, recordsExport(items, model));
  const exportText = async (query: string, token = ADMIN): Promise<Response> =>
    fetch(`http://127.0.0.1:${a.httpPort}/api/v1/models/churn/records${query}`, { headers: token === '' ? {} : { authorization: `Bearer ${token}` } });
  const rec = (id: string, minutesAgo: number, features: Record<string, unknown>, output: unknown = 0.5, extra: { label?: unknown; version?: string } = {}) => ({
    kind: 'record' as const,
    id,
    timeMs: NOW - minutesAgo * MIN,
    features,
    output,
    ...extra,
  });

  beforeEach(async () => {
    clock = NOW;
    dir = mkdtempSync(join(tmpdir(), 'dw-records-'));
    a = await start();
  });
  afterEach(async () => {
    await a.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores records once (a retried export is a duplicate), joins late labels and exports JSONL in prediction-time order', async () => {
    const batch = [rec('p2', 5, { tenure: 12, plan: 'pro' }, 0.8), rec('p1', 10, { tenure: 3, plan: 'free' }, 0.1, { label: 0 }), rec('p3', 1, { tenure: 40, plan: 'team' }, 0.6, { version: '4' })];
    const first = await send(batch);
    expect(first).toMatchObject({ status: 200 });
    await send(batch); // retried export
    const labels = await send([{ kind: 'label', id: 'p2', timeMs: NOW, label: 1 }, { kind: 'label', id: 'never-sampled', timeMs: NOW, label: 1 }]);
    expect(labels.status).toBe(200);
    const res = await exportText('?format=jsonl');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = (await res.text()).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { prediction_id: 'p1', model: 'churn', version: '3', time: new Date(NOW - 10 * MIN).toISOString(), role: 'primary', sample_rate: 0.5, features: { tenure: 3, plan: 'free' }, output: 0.1, label: 0, label_time: new Date(NOW - 10 * MIN).toISOString() },
      { prediction_id: 'p2', model: 'churn', version: '3', time: new Date(NOW - 5 * MIN).toISOString(), role: 'primary', sample_rate: 0.5, features: { tenure: 12, plan: 'pro' }, output: 0.8, label: 1, label_time: new Date(NOW).toISOString() },
      { prediction_id: 'p3', model: 'churn', version: '4', time: new Date(NOW - MIN).toISOString(), role: 'primary', sample_rate: 0.5, features: { tenure: 40, plan: 'team' }, output: 0.6, label: null, label_time: null },
    ]);
    const metrics = await a.metricsText();
    expect(metrics).toContain('driftwatch_records_received_total{model="churn",result="stored"} 3');
    expect(metrics).toContain('driftwatch_records_received_total{model="churn",result="duplicate"} 3');
    expect(metrics).toContain('driftwatch_records_labels_total{model="churn",result="joined"} 1');
    expect(metrics).toContain('driftwatch_records_labels_total{model="churn",result="unmatched"} 1');
    expect(metrics).toContain('driftwatch_records_stored{model="churn"} 3');
    // filters: a time range (ISO or Unix seconds), one version, labelled only
    const since = new Date(NOW - 6 * MIN).toISOString();
    const ranged = await (await exportText(`?since=${encodeURIComponent(since)}&until=${(NOW - 2 * MIN) / 1000}`)).text();
    expect(ranged.trimEnd().split('\n').map((l) => (JSON.parse(l) as { prediction_id: string }).prediction_id)).toEqual(['p2']);
    const v4 = await (await exportText('?version=4')).text();
    expect(v4.trimEnd().split('\n')).toHaveLength(1);
    const labelled = await (await exportText('?labelled=true')).text();
    expect(labelled.trimEnd().split('\n').map((l) => (JSON.parse(l) as { prediction_id: string }).prediction_id)).toEqual(['p1', 'p2']);
  });

  it('exports CSV with a header of every feature seen and correct escaping', async () => {
    await send([
      rec('a,1', 3, { plan: 'pro, annual', note: 'said "cancel"\nthen left', tenure: 7 }, { churn: 0.9, stay: 0.1 }, { label: 'yes' }),
      rec('b', 2, { plan: 'free', emb: [0.5, -1], label: 'feature named label' }, 0.2),
      rec('c', 1, { tenure: -3.5, flag: true, plan: null }, '=1+1'),
    ]);
    const res = await exportText('?format=csv');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="churn-records.csv"');
    const text = await res.text();
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['prediction_id', 'time', 'version', 'role', 'sample_rate', 'emb', 'flag', 'feature.label', 'note', 'plan', 'tenure', 'output', 'label', 'label_time']);
    expect(rows.slice(1)).toEqual([
      ['a,1', new Date(NOW - 3 * MIN).toISOString(), '3', 'primary', '0.5', '', '', '', 'said "cancel"\nthen left', 'pro, annual', '7', '{"churn":0.9,"stay":0.1}', 'yes', new Date(NOW - 3 * MIN).toISOString()],
      ['b', new Date(NOW - 2 * MIN).toISOString(), '3', 'primary', '0.5', '[0.5,-1]', '', 'feature named label', '', 'free', '', '0.2', '', ''],
      ['c', new Date(NOW - MIN).toISOString(), '3', 'primary', '0.5', '', 'true', '', '', '', '-3.5', '=1+1', '', ''],
    ]);
  });

  it('streams a large export page by page (chunked, every row once, in order)', async () => {
    const n = 2600;
    for (let start = 0; start < n; start += 500) {
      await send(Array.from({ length: Math.min(500, n - start) }, (_, i) => rec(`p${start + i}`, 1000 - (start + i) * 0.01, { i: start + i, text: 'x'.repeat(200) })));
    }
    const res = await exportText('');
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-length')).toBeNull();
    const reader = res.body?.getReader();
    let chunks = 0;
    let text = '';
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = (await reader?.read()) ?? { done: true, value: undefined };
      if (done) break;
      chunks++;
      text += decoder.decode(value, { stream: true });
    }
    expect(chunks).toBeGreaterThan(1);
    const got = text.trimEnd().split('\n').map((l) => (JSON.parse(l) as { features: { i: number } }).features.i);
    expect(got).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('answers 401 without the admin token, 404 for a model without records, 400 on bad parameters', async () => {
    await send([rec('p1', 1, { tenure: 1 })]);
    expect((await exportText('', '')).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${a.httpPort}/api/v1/models/fraud/records`, { headers: { authorization: `Bearer ${ADMIN}` } })).status).toBe(404);
    for (const [query, message] of [
      ['?format=parquet', 'format: "parquet" is not jsonl or csv'],
      ['?since=yesterday', 'since: "yesterday" is not an ISO 8601 date-time or Unix seconds'],
      [`?since=${NOW / 1000}&until=${NOW / 1000 - 60}`, 'until: must be after since'],
      ['?labelled=yes', 'labelled: "yes" is not true or false'],
    ] as const) {
      const res = await exportText(query);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: message });
    }
  });

  it('keeps at most maxRowsPerModel rows (oldest first) and nothing older than maxAge, across a restart', async () => {
    await a.stop();
    a = await start({ maxRowsPerModel: 5, maxAge: '1h' });
    await send(Array.from({ length: 8 }, (_, i) => rec(`p${i}`, 30 - i, { i })));
    await send([rec('too-old', 90, { i: -1 })]);
    const ids = async () => (await (await exportText('')).text()).trimEnd().split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { prediction_id: string }).prediction_id);
    expect(await ids()).toEqual(['p3', 'p4', 'p5', 'p6', 'p7']);
    let metrics = await a.metricsText();
    expect(metrics).toContain('driftwatch_records_evicted_total{model="churn",reason="rows"} 3');
    expect(metrics).toContain('driftwatch_records_received_total{model="churn",result="expired"} 1');
    // 26 minutes on, p3..p5 (30..28 minutes old at NOW) are past the hour
    clock = NOW + 36 * MIN;
    a.records?.enforceRetention();
    expect(await ids()).toEqual(['p6', 'p7']);
    metrics = await a.metricsText();
    expect(metrics).toContain('driftwatch_records_evicted_total{model="churn",reason="age"} 3');
    expect(metrics).toContain('driftwatch_records_stored{model="churn"} 2');
    await a.stop();
    a = await start({ maxRowsPerModel: 5, maxAge: '1h' });
    expect(await ids()).toEqual(['p6', 'p7']);
    expect(await a.metricsText()).toContain('driftwatch_records_stored{model="churn"} 2');
  });

  it('reports malformed records in the OTLP partial success and keeps the valid ones', async () => {
    const body = recordsExport([rec('ok', 1, { tenure: 1 })]) as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: unknown[] }> }> };
    body.resourceLogs[0]?.scopeLogs[0]?.logRecords.push({ eventName: 'ml.model.record', attributes: [{ key: 'ml.model.name', value: { stringValue: 'churn' } }], body: { stringValue: '{}' } });
    const res = await postJson(`http://127.0.0.1:${a.otlpPort}/v1/logs`, body);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ partialSuccess: { rejectedLogRecords: '1', errorMessage: '1 log records rejected; first: ml.model.record without ml.prediction.id' } });
    expect((await (await exportText('')).text()).trimEnd().split('\n')).toHaveLength(1);
  });
});
