import type { FeatureSchema, FeatureType } from '@driftwatch/stats';
import { UsageError } from './verbs.js';

const TYPES: readonly FeatureType[] = ['numeric', 'categorical', 'boolean', 'embedding', 'text'];

/** Parses `--schema age=numeric,plan=categorical` (null-prototype result). */
export function parseSchemaOption(text: string, option: string): FeatureSchema {
  const schema = Object.create(null) as FeatureSchema;
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.lastIndexOf('=');
    const name = part.slice(0, eq).trim();
    const type = part.slice(eq + 1).trim();
    if (eq <= 0 || name === '') throw new UsageError(`${option}: expected name=type, got ${JSON.stringify(part)}`);
    if (!TYPES.includes(type as FeatureType)) throw new UsageError(`${option}: ${name}=${type}: type must be one of ${TYPES.join(', ')}`);
    schema[name] = type as FeatureType;
  }
  if (Object.keys(schema).length === 0) throw new UsageError(`${option}: no columns given`);
  return schema;
}
