/**
 * Validation of the model server's request bodies. Pure functions: they
 * return plain data or throw an {@link HttpError} (400) naming the problem.
 *
 * `POST /predict` takes one JSON object (a row of features, optionally with an
 * `id`) or a non-empty array of them. Feature values are not type-checked
 * here: the model imputes unusable values and the monitoring counts them as
 * missing or mismatched, which is what a drift monitor should see.
 *
 * `POST /feedback` takes `{ id, churn }` or an array of them; `churn` is 0/1
 * (true/false accepted).
 */
import { randomUUID } from 'node:crypto';
import { badRequest } from './http-error.js';

/** A request row: its prediction id plus the feature values as sent. */
export type PredictionRow = Readonly<Record<string, unknown>> & { readonly id: string };

export interface ParsedPredictRequest {
  rows: PredictionRow[];
  /** true when the body was an array (the response is then an array too) */
  batch: boolean;
}

export interface FeedbackItem {
  id: string;
  churn: 0 | 1;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseId(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value !== '' && value.length <= 256) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw badRequest(`${where}.id must be a non-empty string (at most 256 characters) or a finite number`);
}

function asItems(body: unknown, maxItems: number, what: string): { items: unknown[]; batch: boolean } {
  if (Array.isArray(body)) {
    if (body.length === 0) throw badRequest(`${what} array must not be empty`);
    if (body.length > maxItems) throw badRequest(`at most ${maxItems} ${what} items per request, got ${body.length}`);
    return { items: body, batch: true };
  }
  return { items: [body], batch: false };
}

/** Parses a `POST /predict` body; rows without an id get a random UUID. */
export function parsePredictRequest(body: unknown, maxBatchRows: number, newId: () => string = randomUUID): ParsedPredictRequest {
  const { items, batch } = asItems(body, maxBatchRows, 'predict');
  const rows = items.map((item, i): PredictionRow => {
    const where = batch ? `rows[${i}]` : 'row';
    if (!isObject(item)) throw badRequest(`${where} must be a JSON object of feature values`);
    return { ...item, id: parseId(item.id, where) ?? newId() };
  });
  return { rows, batch };
}

function parseLabel(value: unknown, where: string): 0 | 1 {
  if (value === 0 || value === false) return 0;
  if (value === 1 || value === true) return 1;
  throw badRequest(`${where}.churn must be 0 or 1`);
}

/** Parses a `POST /feedback` body. */
export function parseFeedbackRequest(body: unknown, maxItems: number): FeedbackItem[] {
  const { items, batch } = asItems(body, maxItems, 'feedback');
  return items.map((item, i) => {
    const where = batch ? `feedback[${i}]` : 'feedback';
    if (!isObject(item)) throw badRequest(`${where} must be a JSON object { id, churn }`);
    const id = parseId(item.id, where);
    if (id === undefined) throw badRequest(`${where}.id is required`);
    return { id, churn: parseLabel(item.churn, where) };
  });
}
