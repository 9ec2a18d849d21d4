/**
 * One CSV field (RFC 4180): quoted when it contains a comma, a double quote, CR or LF, or starts or ends with
 * white space (so readers that trim unquoted fields keep it); quotes inside are doubled. Nothing else is changed:
 * values that look like spreadsheet formulas (`=`, `+`, `-`, `@`) are training data and are kept as they are.
 */
export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A stored JSON value as a CSV field: strings as they are, numbers and booleans in JSON form, null empty, arrays and objects as JSON text. */
export function csvJsonField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return csvField(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return csvField(JSON.stringify(value));
}

/** A CSV line (fields already escaped), CRLF-terminated as RFC 4180 asks. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.join(',')}\r\n`;
}
