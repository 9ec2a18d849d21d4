import { parseArgs } from 'node:util';
import { createAggregator } from '../aggregator.js';
import { ConfigError } from '../config/config-error.js';
import { readPort, readString } from '../config/config-reader.js';
import { loadConfigInput } from '../config/load-config.js';
import { UsageError, type CliVerb } from './verbs.js';

/** A flag's value checked like its config key, the error naming the flag (a usage error: exit 2). */
function flag<T>(value: string | undefined, name: string, read: (v: unknown, path: string) => T): T | undefined {
  if (value === undefined) return undefined;
  try {
    return read(value, name);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

const HELP = `Usage: driftwatch serve [options]

Runs the aggregator: OTLP/HTTP receiver (POST /v1/metrics, /v1/logs) and the HTTP API
(/metrics, /api/v1/..., /healthz, /readyz, the UI at /).

Options:
  --config <file>      YAML or JSON config file (env DRIFTWATCH_CONFIG)
  --host <address>     address to bind (default 127.0.0.1; env DRIFTWATCH_HOST)
  --otlp-port <port>   OTLP/HTTP port (default 4318; env DRIFTWATCH_OTLP_PORT)
  --http-port <port>   API and /metrics port (default 9464; env DRIFTWATCH_HTTP_PORT)
  --data-dir <dir>     SQLite data directory, or :memory: (default ./data; env DRIFTWATCH_DATA_DIR)
  -h, --help           show this help

Tokens come from the config file or DRIFTWATCH_INGEST_TOKEN / DRIFTWATCH_ADMIN_TOKEN; both are
required when binding to a non-loopback address. See docs/configuration.md.
`;

export const serveVerb: CliVerb = {
  name: 'serve',
  summary: 'run the aggregator (OTLP receiver, drift engine, /metrics and API)',
  help: HELP,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        config: { type: 'string' },
        host: { type: 'string' },
        'otlp-port': { type: 'string' },
        'http-port': { type: 'string' },
        'data-dir': { type: 'string' },
      },
      allowPositionals: false,
      strict: true,
    });
    const input = loadConfigInput({
      ...(values.config === undefined ? {} : { configPath: values.config }),
      env: io.env,
      overrides: {
        host: flag(values.host, '--host', readString),
        otlpPort: flag(values['otlp-port'], '--otlp-port', readPort),
        httpPort: flag(values['http-port'], '--http-port', readPort),
        dataDir: flag(values['data-dir'], '--data-dir', readString),
      },
    });
    const aggregator = createAggregator(input, {
      logger: {
        info: (m) => io.stderr.write(`driftwatch: ${m}\n`),
        warn: (m) => io.stderr.write(`driftwatch: warning: ${m}\n`),
        error: (m) => io.stderr.write(`driftwatch: error: ${m}\n`),
      },
    });
    await aggregator.start();
    const c = aggregator.config;
    io.stderr.write(
      `driftwatch: listening on ${c.host}: OTLP/HTTP :${aggregator.otlpPort} (POST /v1/metrics, /v1/logs), API :${aggregator.httpPort} (/metrics, /api/v1/models); data ${c.dataDir}\n`,
    );
    const signal = await io.stopSignal;
    io.stderr.write(`driftwatch: ${signal}, stopping\n`);
    await aggregator.stop();
    return 0;
  },
};
