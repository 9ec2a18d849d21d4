import { jsonAnyValue, jsonAttributes, jsonList, jsonResource, jsonScope, parseJsonObject } from './decode-common-json.js';
import { jsonEnum, jsonHexBytes, jsonString, jsonUint32, jsonUint64Big } from './json-scalars.js';
import { rethrowAt } from './otlp-decode-error.js';
import type { AttributeValue, ExportLogsServiceRequest, LogRecord, ResourceLogs, ScopeLogs } from './types.js';

type JsonObject = Record<string, unknown>;

/** `SEVERITY_NUMBER_<LEVEL>[2-4]` names → numbers (OTLP/JSON requires numbers; names are accepted leniently). */
const SEVERITY_NAMES: Readonly<Record<string, number>> = (() => {
  const names: Record<string, number> = { SEVERITY_NUMBER_UNSPECIFIED: 0 };
  ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].forEach((level, i) => {
    for (let k = 1; k <= 4; k++) names[`SEVERITY_NUMBER_${level}${k === 1 ? '' : k}`] = i * 4 + k;
  });
  return names;
})();

/**
 * Decodes an OTLP/JSON `ExportLogsServiceRequest` (same rules as decodeMetricsJson; `traceId` / `spanId` are hex).
 * @throws OtlpDecodeError with the path of the offending value on undecodable input.
 */
export function decodeLogsJson(text: string): ExportLogsServiceRequest {
  const root = parseJsonObject(text);
  return { resourceLogs: jsonList(root.resourceLogs, 'resourceLogs', readResourceLogs) };
}

function readResourceLogs(o: JsonObject): ResourceLogs {
  return { resource: jsonResource(o.resource), scopeLogs: jsonList(o.scopeLogs, 'scopeLogs', readScopeLogs) };
}

function readScopeLogs(o: JsonObject): ScopeLogs {
  return { scope: jsonScope(o.scope), logRecords: jsonList(o.logRecords, 'logRecords', readLogRecord) };
}

function readLogRecord(o: JsonObject): LogRecord {
  let body: AttributeValue;
  try {
    body = jsonAnyValue(o.body, 0);
  } catch (err) {
    rethrowAt(err, 'body');
  }
  return {
    timeUnixNano: jsonUint64Big(o.timeUnixNano, 'timeUnixNano'),
    observedTimeUnixNano: jsonUint64Big(o.observedTimeUnixNano, 'observedTimeUnixNano'),
    severityNumber: jsonEnum(o.severityNumber, 'severityNumber', SEVERITY_NAMES),
    severityText: jsonString(o.severityText, 'severityText'),
    body,
    attributes: jsonAttributes(o.attributes),
    eventName: jsonString(o.eventName, 'eventName'),
    traceId: jsonHexBytes(o.traceId, 'traceId'),
    spanId: jsonHexBytes(o.spanId, 'spanId'),
    flags: jsonUint32(o.flags, 'flags'),
  };
}
