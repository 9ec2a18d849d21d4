import { anyValueJson, keyValuesJson, resourceJson, scopeJson, toHex } from './encode-common-json.js';
import type { JsonObject } from './encode-common-json.js';
import type { ExportLogsServiceRequest, LogRecord } from './types.js';

/** Encodes an `ExportLogsServiceRequest` as OTLP/JSON (for tests and benches; `traceId` / `spanId` in hex). */
export function encodeLogsJson(req: ExportLogsServiceRequest): string {
  return JSON.stringify({
    resourceLogs: req.resourceLogs.map((rl) => ({
      resource: resourceJson(rl.resource),
      scopeLogs: rl.scopeLogs.map((sl) => ({ scope: scopeJson(sl.scope), logRecords: sl.logRecords.map(logRecordJson) })),
    })),
  });
}

function logRecordJson(r: LogRecord): JsonObject {
  const o: JsonObject = {
    timeUnixNano: r.timeUnixNano.toString(),
    observedTimeUnixNano: r.observedTimeUnixNano.toString(),
  };
  if (r.severityNumber !== 0) o.severityNumber = r.severityNumber;
  if (r.severityText !== '') o.severityText = r.severityText;
  if (r.body !== null) o.body = anyValueJson(r.body);
  o.attributes = keyValuesJson(r.attributes);
  if (r.flags !== 0) o.flags = r.flags;
  if (r.traceId !== undefined && r.traceId.length > 0) o.traceId = toHex(r.traceId);
  if (r.spanId !== undefined && r.spanId.length > 0) o.spanId = toHex(r.spanId);
  if (r.eventName !== '') o.eventName = r.eventName;
  return o;
}
