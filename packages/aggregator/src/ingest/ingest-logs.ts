import type { AttributeValue, ExportLogsServiceRequest, LogsPartialSuccess } from '@driftwatch/otlp';
import type { AggregatorState } from '../state/aggregator-state.js';
import { ATTR, RECORD_EVENT } from './conventions.js';

function isNonEmptyString(v: AttributeValue | undefined): boolean {
  return typeof v === 'string' && v.length > 0;
}

/**
 * Checks an OTLP logs export. Sampled prediction records (`event.name = ml.model.record`) must name their model
 * and version, else they are rejected; the records are counted but not stored — the signal is reserved for
 * rolling-window training data (docs/semantic-conventions.md). Other log records are accepted and ignored.
 */
export function ingestLogs(state: AggregatorState, request: ExportLogsServiceRequest): LogsPartialSuccess {
  let rejected = 0;
  for (const rl of request.resourceLogs) {
    for (const sl of rl.scopeLogs) {
      for (const record of sl.logRecords) {
        const attrs = record.attributes;
        const event = record.eventName || (Object.hasOwn(attrs, ATTR.eventName) ? attrs[ATTR.eventName] : undefined);
        if (event !== RECORD_EVENT) continue;
        const model = Object.hasOwn(attrs, ATTR.modelName) ? attrs[ATTR.modelName] : undefined;
        const version = Object.hasOwn(attrs, ATTR.modelVersion) ? attrs[ATTR.modelVersion] : undefined;
        if (!isNonEmptyString(model) || !isNonEmptyString(version)) rejected++;
        else state.counters.logRecords++;
      }
    }
  }
  return { rejectedLogRecords: rejected, errorMessage: rejected > 0 ? `${rejected} ${RECORD_EVENT} records without ${ATTR.modelName} and ${ATTR.modelVersion}` : '' };
}
