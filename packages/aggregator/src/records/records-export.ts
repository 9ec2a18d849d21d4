import type { ServerResponse } from 'node:http';
import { badRequest, notFound } from '../http/http-error.js';
import { parseTimeMs } from '../http/parse-time.js';
import { csvField, csvJsonField, csvLine } from './csv-cell.js';
import type { RecordCursor, RecordQuery, RecordStore, StoredRecordRow } from './record-store.js';

/** Rows read from SQLite per page (one synchronous query; the connection is free between pages). */
export const EXPORT_PAGE_ROWS = 500;

/** Columns of the CSV export before the features; a feature with one of these names is exported as `feature.<name>`. */
const META_COLUMNS = ['prediction_id', 'time', 'version', 'role', 'sample_rate'] as const;
const TAIL_COLUMNS = ['output', 'label', 'label_time'] as const;

export type ExportFormat = 'jsonl' | 'csv';

export interface ExportRequest {
  readonly query: RecordQuery;
  readonly format: ExportFormat;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * Reads `since`, `until` (ISO 8601 or Unix seconds; default: everything retained up to now), `format`
 * (`jsonl`, the default, or `csv`), `version` and `labelled=true` from the query string; 400 naming the parameter.
 */
export function parseExportRequest(model: string, url: URL, nowMs: number): ExportRequest {
  const q = url.searchParams;
  const time = (name: string, fallback: number): number => {
    const raw = q.get(name);
    if (raw === null || raw === '') return fallback;
    const ms = parseTimeMs(/^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw);
    if (ms === undefined) throw badRequest(`${name}: ${JSON.stringify(raw)} is not an ISO 8601 date-time or Unix seconds`);
    return ms;
  };
  const sinceMs = time('since', 0);
  const untilMs = time('until', nowMs + 1);
  if (!(untilMs > sinceMs)) throw badRequest('until: must be after since');
  const format = q.get('format') ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'csv') throw badRequest(`format: ${JSON.stringify(format)} is not jsonl or csv`);
  const labelled = q.get('labelled');
  if (labelled !== null && labelled !== 'true' && labelled !== 'false') throw badRequest(`labelled: ${JSON.stringify(labelled)} is not true or false`);
  const version = q.get('version');
  return { query: { model, sinceMs, untilMs, labelledOnly: labelled === 'true', ...(version ? { version } : {}) }, format };
}

/** One record as a JSONL line (stored JSON columns spliced in without re-encoding). */
export function jsonlLine(model: string, r: StoredRecordRow): string {
  return (
    `{"prediction_id":${JSON.stringify(r.prediction_id)},"model":${JSON.stringify(model)},"version":${JSON.stringify(r.version)},` +
    `"time":${JSON.stringify(iso(r.time_ms))},"role":${JSON.stringify(r.role)},"sample_rate":${r.sample_rate ?? 'null'},` +
    `"features":${r.features},"output":${r.output},"label":${r.label ?? 'null'},"label_time":${JSON.stringify(iso(r.label_time_ms))}}\n`
  );
}

/** The CSV header and, per feature, the column name it gets (prefixed when it collides with a fixed column). */
export function csvColumns(features: readonly string[]): { header: string; names: string[] } {
  const fixed = new Set<string>([...META_COLUMNS, ...TAIL_COLUMNS]);
  const names = features.map((f) => (fixed.has(f) ? `feature.${f}` : f));
  return { header: csvLine([...META_COLUMNS, ...names, ...TAIL_COLUMNS].map(csvField)), names };
}

/** One record as a CSV line with the given feature columns (a feature the record lacks is an empty field). */
export function csvRecordLine(r: StoredRecordRow, features: readonly string[]): string {
  const values = JSON.parse(r.features) as Record<string, unknown>;
  const cells = [csvField(r.prediction_id), iso(r.time_ms) ?? '', csvField(r.version), csvField(r.role), r.sample_rate === null ? '' : String(r.sample_rate)];
  for (const f of features) cells.push(csvJsonField(Object.hasOwn(values, f) ? values[f] : null));
  cells.push(csvJsonField(JSON.parse(r.output)), r.label === null ? '' : csvJsonField(JSON.parse(r.label)), iso(r.label_time_ms) ?? '');
  return csvLine(cells);
}

function waitForDrain(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/**
 * Streams the records matching `request` to `res`, page by page in (time, seq) order, waiting for `drain` whenever
 * the socket's buffer is full; memory stays at one page whatever the export's size. Stops when the client goes away.
 */
export async function streamRecords(store: RecordStore, request: ExportRequest, res: ServerResponse): Promise<void> {
  const { query, format } = request;
  if (!store.hasModel(query.model)) throw notFound(`no records for model ${JSON.stringify(query.model)}`);
  const slug = query.model.replace(/[^A-Za-z0-9_.-]/g, '_');
  res.writeHead(200, {
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/x-ndjson; charset=utf-8',
    'content-disposition': `attachment; filename="${slug}-records.${format}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  let features: string[] = [];
  if (format === 'csv') {
    features = store.columns(query.model);
    res.write(csvColumns(features).header);
  }
  let cursor: RecordCursor | undefined;
  let closed = false;
  res.once('close', () => {
    if (!res.writableFinished) closed = true;
  });
  for (;;) {
    if (closed || res.destroyed) return;
    const rows = store.page(query, cursor, EXPORT_PAGE_ROWS);
    if (rows.length === 0) break;
    const chunk = rows.map((r) => (format === 'csv' ? csvRecordLine(r, features) : jsonlLine(query.model, r))).join('');
    const last = rows[rows.length - 1] as StoredRecordRow;
    cursor = { timeMs: last.time_ms, seq: last.seq };
    if (!res.write(chunk) && !(await waitForDrain(res))) return;
    if (rows.length < EXPORT_PAGE_ROWS) break;
  }
  res.end();
}
