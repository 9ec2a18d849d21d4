import { buildReferenceProfile } from '@driftwatch/stats';
import type { FeatureSchema, ReferenceProfile } from '@driftwatch/stats';
import { inferSchema } from './feature-inference.js';

/** Metadata of a reference built by the SDK. */
export interface BuildReferenceMeta {
  model: string;
  version: string;
  /** default `sdk` */
  source?: ReferenceProfile['source'];
  /** schema of output columns present in the rows (e.g. `{ score: 'numeric' }`) */
  outputs?: FeatureSchema;
}

/**
 * Builds the reference profile (training-data distribution) that the aggregator compares live traffic
 * with, from rows shaped like the monitored inputs. A thin wrapper over the stats `buildReferenceProfile`
 * with `source: 'sdk'`; when `schema` is undefined it is inferred the same way `monitor()` infers it
 * (so the reference and the live features agree). O(rows × features).
 */
export function buildReference(
  rows: Iterable<Readonly<Record<string, unknown>>>,
  schema: FeatureSchema | undefined,
  meta: BuildReferenceMeta,
): ReferenceProfile {
  const list = schema === undefined ? [...rows] : rows;
  const resolved = schema ?? inferSchema(list);
  return buildReferenceProfile(list as Iterable<Record<string, unknown>>, resolved, { ...meta, source: meta.source ?? 'sdk' });
}
