import { FeatureAccumulator } from './feature-accumulator.js';
import type { FeatureProfile, FeatureSchema, FeatureType, ReferenceProfile } from './reference-profile.js';
import { REFERENCE_PROFILE_FORMAT } from './reference-profile.js';

const FEATURE_TYPES: readonly FeatureType[] = ['numeric', 'categorical', 'boolean', 'embedding', 'text'];
const SOURCES: readonly ReferenceProfile['source'][] = ['file', 'sdk', 'http', 'capture'];

/** Metadata of {@link buildReferenceProfile}. */
export interface BuildReferenceProfileMeta {
  model: string;
  version: string;
  /** Default `'file'`. */
  source?: ReferenceProfile['source'];
  /** Output columns to profile too (read from the same rows). */
  outputs?: FeatureSchema;
}

function checkSchema(schema: unknown, path: string): Array<[string, FeatureType]> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new Error(`${path} must be an object of feature name → type`);
  const entries: Array<[string, FeatureType]> = [];
  for (const name of Object.keys(schema)) {
    const type = (schema as Record<string, unknown>)[name];
    if (!FEATURE_TYPES.includes(type as FeatureType)) throw new Error(`${path}.${name} must be one of ${FEATURE_TYPES.join(', ')}`);
    entries.push([name, type as FeatureType]);
  }
  return entries;
}

function profiles(accumulators: ReadonlyArray<[string, FeatureAccumulator]>): Record<string, FeatureProfile> {
  const out = Object.create(null) as Record<string, FeatureProfile>;
  for (const [name, acc] of accumulators) out[name] = acc.profile();
  return out;
}

/**
 * Profiles reference rows in one streaming pass: per feature (and output) its counts, missing values, unique count
 * and a mergeable sketch — an exponential histogram (numeric values, embedding L2 norms, text lengths) with
 * min/max/mean/std, or bounded category counts (categorical, boolean). Values are read the way the SDK records
 * them (see `featureNumber` / `featureCategory`); a feature absent from a row, null, NaN/±Infinity or of the wrong
 * type counts as missing. Only own properties of a row are read (`__proto__` is an ordinary name).
 *
 * Reference: docs/semantic-conventions.md (feature kinds → recorded values); OTel exponential histogram
 * https://opentelemetry.io/docs/specs/otel/metrics/data-model/#exponentialhistogram
 * Cost: O(rows × features) time; memory O(features × (sketch + 10 000)) whatever the number of rows.
 * Throws an `Error` naming the field when the schema or metadata is invalid, or a row is not an object.
 */
export function buildReferenceProfile(
  rows: Iterable<Record<string, unknown>>,
  schema: FeatureSchema,
  meta: BuildReferenceProfileMeta,
): ReferenceProfile {
  if (typeof meta !== 'object' || meta === null) throw new Error('meta must be an object with model and version');
  if (typeof meta.model !== 'string' || meta.model === '') throw new Error('meta.model must be a non-empty string');
  if (typeof meta.version !== 'string' || meta.version === '') throw new Error('meta.version must be a non-empty string');
  const source = meta.source ?? 'file';
  if (!SOURCES.includes(source)) throw new Error(`meta.source must be one of ${SOURCES.join(', ')}`);
  const features = checkSchema(schema, 'schema').map(([name, type]): [string, FeatureAccumulator] => [name, new FeatureAccumulator(type)]);
  const outputs = meta.outputs === undefined ? undefined : checkSchema(meta.outputs, 'meta.outputs').map(([name, type]): [string, FeatureAccumulator] => [name, new FeatureAccumulator(type)]);
  const all = outputs ? [...features, ...outputs] : features;
  let rowCount = 0;
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) throw new Error(`rows[${rowCount}] must be an object`);
    for (const [name, acc] of all) acc.add(Object.hasOwn(row, name) ? row[name] : undefined);
    rowCount++;
  }
  const profile: ReferenceProfile = {
    format: REFERENCE_PROFILE_FORMAT,
    model: meta.model,
    version: meta.version,
    createdAt: new Date().toISOString(),
    source,
    rowCount,
    features: profiles(features),
  };
  if (outputs) profile.outputs = profiles(outputs);
  return profile;
}
