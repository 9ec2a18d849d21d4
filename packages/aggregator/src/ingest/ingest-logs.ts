import type { ExportLogsServiceRequest, LogsPartialSuccess } from '@driftwatch/otlp';
import { parseLogRecord, type LabelRecord, type PredictionRecord } from '../records/prediction-record.js';
import type { AggregatorState } from '../state/aggregator-state.js';

/** Receives the prediction records and labels of one logs export (the record store). */
export type RecordSink = (records: readonly PredictionRecord[], labels: readonly LabelRecord[]) => void;

/**
 * Reads an OTLP logs export: sampled prediction records (`event.name = ml.model.record`) and late labels
 * (`ml.model.label`) go to `sink` in one batch; malformed ones are rejected and reported in the partial success
 * (the first reason in `errorMessage`); other log records are accepted and ignored
 * (docs/semantic-conventions.md, "Prediction records (logs)"). Without a sink the records are counted and dropped.
 */
export function ingestLogs(state: AggregatorState, request: ExportLogsServiceRequest, sink?: RecordSink, nowMs: number = Date.now()): LogsPartialSuccess {
  let rejected = 0;
  let firstReason = '';
  const records: PredictionRecord[] = [];
  const labels: LabelRecord[] = [];
  for (const rl of request.resourceLogs) {
    for (const sl of rl.scopeLogs) {
      for (const record of sl.logRecords) {
        const parsed = parseLogRecord(record, nowMs);
        if (parsed.kind === 'ignored') continue;
        if (parsed.kind === 'rejected') {
          rejected++;
          if (firstReason === '') firstReason = parsed.reason;
          continue;
        }
        state.counters.logRecords++;
        if (parsed.kind === 'record') records.push(parsed);
        else labels.push(parsed);
      }
    }
  }
  if (sink && records.length + labels.length > 0) sink(records, labels);
  return { rejectedLogRecords: rejected, errorMessage: rejected > 0 ? `${rejected} log records rejected; first: ${firstReason}` : '' };
}
