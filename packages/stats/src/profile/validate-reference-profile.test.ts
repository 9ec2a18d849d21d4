import { describe, expect, it } from 'vitest';
import { buildReferenceProfile } from './build-reference-profile.js';
import { validateReferenceProfile } from './validate-reference-profile.js';

function validProfile(): Record<string, unknown> {
  const rows = [
    { tenure: 1, plan: 'a', emb: [1, 2] },
    { tenure: 5, plan: 'b', emb: [0, 1] },
    { tenure: null, plan: 'a' },
  ];
  const p = buildReferenceProfile(rows, { tenure: 'numeric', plan: 'categorical', emb: 'embedding' }, { model: 'churn', version: '3', outputs: { score: 'numeric' } });
  return JSON.parse(JSON.stringify(p)) as Record<string, unknown>;
}

const DELETE = Symbol('delete');
type Edit = [path: string, value: unknown];

/** A copy of the valid profile with each `path` (dot-separated) set to its value, or deleted. */
function broken(...edits: Edit[]): unknown {
  const p = validProfile();
  for (const [path, value] of edits) {
    const keys = path.split('.');
    const last = keys.pop() as string;
    let target = p as Record<string, unknown>;
    for (const k of keys) target = target[k] as Record<string, unknown>;
    if (value === DELETE) delete target[last];
    else target[last] = value;
  }
  return p;
}

describe('validateReferenceProfile', () => {
  it('accepts a built profile after a JSON round trip and returns it unchanged', () => {
    const p = validProfile();
    expect(validateReferenceProfile(p)).toEqual(p);
  });

  it('names the offending field', () => {
    const cases: Array<[Edit[], string]> = [
      [[['format', 'v2']], "format must be 'driftwatch.reference/v1'"],
      [[['model', DELETE]], 'model must be a non-empty string'],
      [[['version', 3]], 'version must be a non-empty string'],
      [[['createdAt', 'yesterday']], 'createdAt must be an ISO 8601 date-time'],
      [[['source', 'ftp']], 'source must be one of file, sdk, http, capture'],
      [[['rowCount', -1]], 'rowCount must be a non-negative integer'],
      [[['features', []]], 'features must be an object of name → feature profile'],
      [[['features.tenure.type', 'number']], 'features.tenure.type must be one of numeric, categorical, boolean, embedding, text'],
      [[['features.tenure.count', 1.5]], 'features.tenure.count must be a non-negative integer'],
      [[['features.tenure.missing', 0]], 'features.tenure.count + features.tenure.missing must equal rowCount (2 + 0 ≠ 3)'],
      [[['features.tenure.uniqueCount', 3]], 'features.tenure.uniqueCount must not exceed features.tenure.count'],
      [[['features.tenure.numeric', DELETE]], 'features.tenure.numeric is required when count > 0'],
      [[['features.tenure.numeric.mean', null]], 'features.tenure.numeric.mean must be a finite number'],
      [[['features.tenure.numeric.min', 9]], 'features.tenure.numeric.min must not exceed features.tenure.numeric.max'],
      [[['features.tenure.numeric.std', -1]], 'features.tenure.numeric.std must be non-negative'],
      [[['features.tenure.numeric.histogram.scale', 2.5]], 'features.tenure.numeric.histogram.scale must be an integer from -10 to 20'],
      [[['features.tenure.numeric.histogram.positive.bucketCounts.0', -1]], 'features.tenure.numeric.histogram.positive.bucketCounts[0] must be a non-negative finite number'],
      [
        [
          ['features.tenure.numeric.histogram.zeroCount', 1],
          ['features.tenure.numeric.histogram.count', 3],
        ],
        'features.tenure.numeric.histogram.count must equal features.tenure.count (3 ≠ 2)',
      ],
      [[['features.plan.categorical.tail.2', 'x']], 'features.plan.categorical.tail[2] must be a non-negative finite number'],
      [[['features.plan.categorical', DELETE]], 'features.plan.categorical must be an object'],
      [
        [
          ['features.plan.categorical.other', 1],
          ['features.plan.categorical.total', 4],
        ],
        'features.plan.categorical.total must equal features.plan.count (4 ≠ 3)',
      ],
      [[['features.emb.numeric.histogram', DELETE]], 'features.emb.numeric.histogram must be an object'],
      [[['outputs.score.missing', 1]], 'outputs.score.count + outputs.score.missing must equal rowCount'],
    ];
    for (const [edits, message] of cases) expect(() => validateReferenceProfile(broken(...edits)), message).toThrow(message);
  });

  it('rejects non-objects', () => {
    expect(() => validateReferenceProfile(null)).toThrow('reference profile must be an object');
    expect(() => validateReferenceProfile([])).toThrow('reference profile must be an object');
  });
});
