/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4) for tests that read `/metrics`:
 * `# HELP` / `# TYPE` lines and samples `name{label="value",...} value [timestamp]`, with the format's label
 * escapes (`\\`, `\"`, `\n`). Throws on any line it cannot read, so a malformed exposition fails the test.
 */
export interface PromSample {
  readonly name: string;
  /** Null prototype: a label value of `__proto__` stays plain data. */
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PromExposition {
  readonly samples: readonly PromSample[];
  /** metric family name → type from `# TYPE` */
  readonly types: ReadonlyMap<string, string>;
  /** Samples named `name` whose labels include every pair of `match`. */
  find(name: string, match?: Readonly<Record<string, string>>): PromSample[];
  /** The value of the only sample named `name` matching `match`; throws when there are none or several. */
  value(name: string, match?: Readonly<Record<string, string>>): number;
}

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const v = Number(text);
  if (text === '' || Number.isNaN(v)) throw new Error(`exposition: bad sample value ${JSON.stringify(text)} in ${JSON.stringify(line)}`);
  return v;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels = Object.create(null) as Record<string, string>;
  let i = 0;
  while (i < text.length) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(text.slice(i));
    if (!m) throw new Error(`exposition: bad label at ${JSON.stringify(text.slice(i))} in ${JSON.stringify(line)}`);
    const name = m[1] as string;
    i += m[0].length;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new Error(`exposition: unterminated label value in ${JSON.stringify(line)}`);
      i++;
      if (c === '"') break;
      if (c === '\\') {
        const e = text[i++];
        if (e === 'n') value += '\n';
        else if (e === '\\' || e === '"') value += e;
        else throw new Error(`exposition: bad escape \\${e ?? ''} in ${JSON.stringify(line)}`);
      } else value += c;
    }
    if (Object.hasOwn(labels, name)) throw new Error(`exposition: duplicate label ${name} in ${JSON.stringify(line)}`);
    labels[name] = value;
    if (text[i] === ',') i++;
  }
  return labels;
}

export function parsePrometheusText(text: string): PromExposition {
  const samples: PromSample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const t = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (t) types.set(t[1] as string, t[2] as string);
      else if (!/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line) && !/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]*$/.test(line)) throw new Error(`exposition: bad comment ${JSON.stringify(line)}`);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
    if (!m) throw new Error(`exposition: bad sample line ${JSON.stringify(line)}`);
    samples.push({ name: m[1] as string, labels: m[3] === undefined ? (Object.create(null) as Record<string, string>) : parseLabels(m[3], line), value: parseValue(m[4] as string, line) });
  }
  const find = (name: string, match: Readonly<Record<string, string>> = {}): PromSample[] =>
    samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
  return {
    samples,
    types,
    find,
    value(name, match = {}) {
      const found = find(name, match);
      if (found.length !== 1) throw new Error(`exposition: ${found.length} samples of ${name} ${JSON.stringify(match)}`);
      return (found[0] as PromSample).value;
    },
  };
}
