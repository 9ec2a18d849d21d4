import { parseArgs } from 'node:util';
import { API_HELP, API_OPTIONS, apiTarget, callApi, registryPath } from './admin-api.js';
import { formatTable } from './text-table.js';
import { UsageError, type CliVerb } from './verbs.js';

const HELP = `Usage: driftwatch registry list <model> [--json] [--url <url>] [--token <token>]

Lists the model's registered versions (oldest first) with their aliases, creator and metrics:
GET /api/v1/registry/models/{model}/versions.

Options:
${API_HELP}
  --json             print the API's JSON instead of a table
  -h, --help         show this help
`;

interface VersionRow {
  version: string;
  aliases: string[];
  createdAt: string;
  createdBy: string;
  metrics: Record<string, number>;
  artifactUri: string;
}

export const registryListVerb: CliVerb = {
  name: 'registry list',
  summary: "list a model's registered versions and aliases",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, options: { ...API_OPTIONS, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
    const model = positionals[0];
    if (model === undefined || positionals.length > 1) throw new UsageError('give exactly one model name');
    const target = apiTarget(values, io);
    const body = (await callApi(target, 'GET', registryPath(model, '/versions'))) as { versions: VersionRow[] };
    if (values.json) {
      io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      return 0;
    }
    const rows = body.versions.map((v) => [
      v.version,
      v.aliases.join(',') || '-',
      v.createdAt.replace(/\.\d{3}Z$/, 'Z'),
      v.createdBy,
      Object.entries(v.metrics).map(([k, x]) => `${k}=${Number(x.toPrecision(6))}`).join(',') || '-',
      v.artifactUri,
    ]);
    const aliases = body.versions.flatMap((v) => v.aliases.map((a) => `${a} ${v.version}`));
    io.stdout.write(`${model}: ${body.versions.length} version(s)${aliases.length > 0 ? `; ${aliases.join(', ')}` : ''}\n`);
    io.stdout.write(`${formatTable([['VERSION', 'ALIASES', 'CREATED', 'BY', 'METRICS', 'ARTIFACT'], ...rows])}\n`);
    return 0;
  },
};
