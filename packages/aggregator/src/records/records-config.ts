import { ConfigError } from '../config/config-error.js';
import { readBoolean, readDurationMs, readInteger, readObject } from '../config/config-reader.js';
import { formatDurationMs } from '../config/duration.js';

/** Retention of sampled prediction records (rolling-window training data). */
export interface RecordsConfig {
  /** Store `ml.model.record` log records (default true); false = count and drop them. */
  readonly enabled: boolean;
  /** Rows kept per model; the oldest are deleted beyond it. */
  readonly maxRowsPerModel: number;
  /** Records older than this (by prediction time) are deleted. */
  readonly maxAgeMs: number;
  /** Distinct feature names remembered per model for the CSV header (more are exported in JSONL only). */
  readonly maxColumnsPerModel: number;
}

export const DEFAULT_RECORDS_CONFIG: RecordsConfig = {
  enabled: true,
  maxRowsPerModel: 100_000,
  maxAgeMs: 30 * 86_400_000,
  maxColumnsPerModel: 1_000,
};

/** Reads `config.records` (`enabled`, `maxRowsPerModel`, `maxAge`, `maxColumnsPerModel`), naming the bad field. */
export function readRecordsConfig(value: unknown): RecordsConfig {
  if (value === undefined) return DEFAULT_RECORDS_CONFIG;
  const path = 'config.records';
  const r = readObject(value, path, ['enabled', 'maxRowsPerModel', 'maxAge', 'maxColumnsPerModel']);
  const maxAgeMs = r.has('maxAge') ? readDurationMs(r.get('maxAge'), `${path}.maxAge`) : DEFAULT_RECORDS_CONFIG.maxAgeMs;
  if (maxAgeMs < 60_000) throw new ConfigError(`${path}.maxAge`, `${formatDurationMs(maxAgeMs)} is shorter than the minimum 1m`);
  return {
    enabled: r.has('enabled') ? readBoolean(r.get('enabled'), `${path}.enabled`) : DEFAULT_RECORDS_CONFIG.enabled,
    maxRowsPerModel: r.has('maxRowsPerModel') ? readInteger(r.get('maxRowsPerModel'), `${path}.maxRowsPerModel`, 1, 100_000_000) : DEFAULT_RECORDS_CONFIG.maxRowsPerModel,
    maxAgeMs,
    maxColumnsPerModel: r.has('maxColumnsPerModel') ? readInteger(r.get('maxColumnsPerModel'), `${path}.maxColumnsPerModel`, 1, 100_000) : DEFAULT_RECORDS_CONFIG.maxColumnsPerModel,
  };
}
