/**
 * Splits CSV text lines into records (RFC 4180: `,` separated, `"` quoted, `""` for a quote inside quotes,
 * quoted fields may span lines). Throws an Error naming the line for an unterminated quote at end of input.
 */
export function* csvRecords(lines: Iterable<string>): Generator<{ fields: string[]; line: number }> {
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let lineNo = 0;
  let startLine = 1;
  for (const line of lines) {
    lineNo++;
    if (!quoted) {
      if (line === '' && fields.length === 0 && field === '') continue; // blank line
      startLine = lineNo;
    } else field += '\n';
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i++;
          } else quoted = false;
        } else field += ch;
      } else if (ch === '"' && field === '') quoted = true;
      else if (ch === ',') {
        fields.push(field);
        field = '';
      } else field += ch;
    }
    if (quoted) continue;
    fields.push(field);
    yield { fields, line: startLine };
    fields = [];
    field = '';
  }
  if (quoted) throw new Error(`line ${startLine}: unterminated quoted field`);
}
