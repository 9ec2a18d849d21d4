import { writeAnyValue, writeKeyValues, writeResource, writeScope } from './encode-common-protobuf.js';
import { ProtoWriter } from './proto-writer.js';
import type { ExportLogsServiceRequest, LogRecord } from './types.js';

/** Encodes an `ExportLogsServiceRequest` as binary protobuf (for tests and benches). */
export function encodeLogsProtobuf(req: ExportLogsServiceRequest): Uint8Array {
  const w = new ProtoWriter();
  for (const rl of req.resourceLogs) {
    w.message(1, () => {
      writeResource(w, 1, rl.resource);
      for (const sl of rl.scopeLogs) {
        w.message(2, () => {
          writeScope(w, 1, sl.scope);
          for (const record of sl.logRecords) w.message(2, () => writeLogRecord(w, record));
        });
      }
    });
  }
  return w.finish();
}

function writeLogRecord(w: ProtoWriter, r: LogRecord): void {
  if (r.timeUnixNano !== 0n) w.tag(1, 1).fixed64(r.timeUnixNano);
  if (r.severityNumber !== 0) w.tag(2, 0).int64(r.severityNumber);
  if (r.severityText !== '') w.tag(3, 2).string(r.severityText);
  if (r.body !== null) w.message(5, () => writeAnyValue(w, r.body));
  writeKeyValues(w, 6, r.attributes);
  if (r.flags !== 0) w.tag(8, 5).fixed32(r.flags);
  if (r.traceId !== undefined && r.traceId.length > 0) w.tag(9, 2).bytes(r.traceId);
  if (r.spanId !== undefined && r.spanId.length > 0) w.tag(10, 2).bytes(r.spanId);
  if (r.observedTimeUnixNano !== 0n) w.tag(11, 1).fixed64(r.observedTimeUnixNano);
  if (r.eventName !== '') w.tag(12, 2).string(r.eventName);
}
