import { validateCategoryCountsData } from '../sketch/category-counts.js';
import { validateExponentialHistogramData } from '../sketch/exponential-histogram-data.js';
import type { FeatureProfile, FeatureType, ReferenceProfile } from './reference-profile.js';
import { REFERENCE_PROFILE_FORMAT } from './reference-profile.js';

const FEATURE_TYPES: readonly FeatureType[] = ['numeric', 'categorical', 'boolean', 'embedding', 'text'];
const SOURCES: readonly ReferenceProfile['source'][] = ['file', 'sdk', 'http', 'capture'];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonNegativeInteger(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`${path} must be a non-negative integer`);
  return value;
}

function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${path} must be a finite number`);
  return value;
}

function nonEmptyString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${path} must be a non-empty string`);
  return value;
}

function featureProfile(value: unknown, path: string, rowCount: number): FeatureProfile {
  if (!isObject(value)) throw new Error(`${path} must be an object`);
  const type = value.type;
  if (!FEATURE_TYPES.includes(type as FeatureType)) throw new Error(`${path}.type must be one of ${FEATURE_TYPES.join(', ')}`);
  const count = nonNegativeInteger(value.count, `${path}.count`);
  const missing = nonNegativeInteger(value.missing, `${path}.missing`);
  const uniqueCount = nonNegativeInteger(value.uniqueCount, `${path}.uniqueCount`);
  if (count + missing !== rowCount) throw new Error(`${path}.count + ${path}.missing must equal rowCount (${count} + ${missing} ≠ ${rowCount})`);
  if (uniqueCount > count) throw new Error(`${path}.uniqueCount must not exceed ${path}.count`);
  const profile: FeatureProfile = { type: type as FeatureType, count, missing, uniqueCount };
  if (type === 'categorical' || type === 'boolean') {
    const categorical = validateCategoryCountsData(value.categorical, `${path}.categorical`);
    if (categorical.total !== count) throw new Error(`${path}.categorical.total must equal ${path}.count (${categorical.total} ≠ ${count})`);
    profile.categorical = categorical;
    return profile;
  }
  if (value.numeric === undefined) {
    if (count > 0) throw new Error(`${path}.numeric is required when count > 0`);
    return profile;
  }
  const n = value.numeric;
  if (!isObject(n)) throw new Error(`${path}.numeric must be an object`);
  const min = finite(n.min, `${path}.numeric.min`);
  const max = finite(n.max, `${path}.numeric.max`);
  const mean = finite(n.mean, `${path}.numeric.mean`);
  const std = finite(n.std, `${path}.numeric.std`);
  if (min > max) throw new Error(`${path}.numeric.min must not exceed ${path}.numeric.max`);
  if (std < 0) throw new Error(`${path}.numeric.std must be non-negative`);
  const histogram = validateExponentialHistogramData(n.histogram, `${path}.numeric.histogram`);
  if (histogram.count !== count) throw new Error(`${path}.numeric.histogram.count must equal ${path}.count (${histogram.count} ≠ ${count})`);
  profile.numeric = { min, max, mean, std, histogram };
  return profile;
}

function featureProfiles(value: unknown, path: string, rowCount: number): Record<string, FeatureProfile> {
  if (!isObject(value)) throw new Error(`${path} must be an object of name → feature profile`);
  const out = Object.create(null) as Record<string, FeatureProfile>;
  for (const name of Object.keys(value)) out[name] = featureProfile(value[name], `${path}.${name}`, rowCount);
  return out;
}

/**
 * Checks that `value` (e.g. parsed JSON) is a valid {@link ReferenceProfile} and returns it, normalised.
 * Throws an `Error` whose message starts with the path of the first bad field, e.g.
 * `features.tenure.numeric.histogram.scale must be an integer from -10 to 20` or `rowCount must be a non-negative integer`.
 *
 * Checks: `format` is `driftwatch.reference/v1`; `model`, `version` non-empty strings; `createdAt` a parseable
 * date; `source` one of file/sdk/http/capture; `rowCount` a non-negative integer; every feature/output has a
 * valid `type`, integer counts with `count + missing = rowCount` and `uniqueCount ≤ count`; numeric kinds carry a
 * `numeric` section (when `count > 0`) with finite min ≤ max, mean, std ≥ 0 and a valid histogram holding `count`
 * values; categorical kinds carry valid category counts totalling `count`.
 *
 * Cost: O(size of the profile).
 */
export function validateReferenceProfile(value: unknown): ReferenceProfile {
  if (!isObject(value)) throw new Error('reference profile must be an object');
  if (value.format !== REFERENCE_PROFILE_FORMAT) throw new Error(`format must be '${REFERENCE_PROFILE_FORMAT}'`);
  const model = nonEmptyString(value.model, 'model');
  const version = nonEmptyString(value.version, 'version');
  const createdAt = nonEmptyString(value.createdAt, 'createdAt');
  if (Number.isNaN(Date.parse(createdAt))) throw new Error('createdAt must be an ISO 8601 date-time');
  if (!SOURCES.includes(value.source as ReferenceProfile['source'])) throw new Error(`source must be one of ${SOURCES.join(', ')}`);
  const rowCount = nonNegativeInteger(value.rowCount, 'rowCount');
  const profile: ReferenceProfile = {
    format: REFERENCE_PROFILE_FORMAT,
    model,
    version,
    createdAt,
    source: value.source as ReferenceProfile['source'],
    rowCount,
    features: featureProfiles(value.features, 'features', rowCount),
  };
  if (value.outputs !== undefined) profile.outputs = featureProfiles(value.outputs, 'outputs', rowCount);
  return profile;
}
