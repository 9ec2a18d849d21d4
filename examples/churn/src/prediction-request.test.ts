import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error.js';
import { parseFeedbackRequest, parsePredictRequest } from './prediction-request.js';

const ids = (): (() => string) => {
  let next = 0;
  return () => `generated-${next++}`;
};

function statusOf(f: () => unknown): number | undefined {
  try {
    f();
  } catch (error) {
    return error instanceof HttpError ? error.status : -1;
  }
  return undefined;
}

describe('parsePredictRequest', () => {
  it('takes one row or an array of rows, keeping given ids and generating missing ones', () => {
    expect(parsePredictRequest({ tenure: 3 }, 10, ids())).toEqual({ rows: [{ tenure: 3, id: 'generated-0' }], batch: false });
    expect(parsePredictRequest([{ tenure: 3, id: 'a' }, { tenure: 4, id: 7 }, { tenure: 5 }], 10, ids())).toEqual({
      rows: [
        { tenure: 3, id: 'a' },
        { tenure: 4, id: '7' },
        { tenure: 5, id: 'generated-0' },
      ],
      batch: true,
    });
  });

  it('uses random UUIDs by default', () => {
    const { rows } = parsePredictRequest([{}, {}], 10);
    expect(rows[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows[0]?.id).not.toBe(rows[1]?.id);
  });

  it('rejects non-objects, empty or oversized batches and bad ids with 400', () => {
    expect(() => parsePredictRequest('x', 10)).toThrow('row must be a JSON object of feature values');
    expect(() => parsePredictRequest([{}, 3], 10)).toThrow('rows[1] must be a JSON object of feature values');
    expect(() => parsePredictRequest([], 10)).toThrow('predict array must not be empty');
    expect(() => parsePredictRequest([{}, {}, {}], 2)).toThrow('at most 2 predict items per request, got 3');
    expect(() => parsePredictRequest({ id: {} }, 2)).toThrow(/row.id must be a non-empty string/);
    expect(statusOf(() => parsePredictRequest(null, 10))).toBe(400);
  });
});

describe('parseFeedbackRequest', () => {
  it('takes { id, churn } or an array of them; booleans become 0/1', () => {
    expect(parseFeedbackRequest({ id: 'a', churn: 1 }, 10)).toEqual([{ id: 'a', churn: 1 }]);
    expect(parseFeedbackRequest([{ id: 'a', churn: false }, { id: 2, churn: true }], 10)).toEqual([
      { id: 'a', churn: 0 },
      { id: '2', churn: 1 },
    ]);
  });

  it('rejects missing ids and labels other than 0/1 with 400', () => {
    expect(() => parseFeedbackRequest({ churn: 1 }, 10)).toThrow('feedback.id is required');
    expect(() => parseFeedbackRequest([{ id: 'a', churn: 2 }], 10)).toThrow('feedback[0].churn must be 0 or 1');
    expect(() => parseFeedbackRequest([1], 10)).toThrow('feedback[0] must be a JSON object { id, churn }');
    expect(statusOf(() => parseFeedbackRequest({ id: 'a', churn: 'yes' }, 10))).toBe(400);
  });
});
