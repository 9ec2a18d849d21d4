import { parseArgs } from 'node:util';
import { API_HELP, API_OPTIONS, apiTarget, callApi, registryPath } from './admin-api.js';
import { formatTable } from './text-table.js';
import { UsageError, type CliVerb } from './verbs.js';

const HELP = `Usage: driftwatch registry history <model> [--limit <n>] [--json] [--url <url>] [--token <token>]

Shows who changed what in the registry, when and why (newest first):
GET /api/v1/registry/models/{model}/history.

Options:
  --limit <n>        how many events (default 20)
  --json             print the API's JSON instead of a table
${API_HELP}
  -h, --help         show this help
`;

interface EventRow {
  action: string;
  alias: string | null;
  version: string | null;
  previousVersion: string | null;
  by: string;
  reason: string;
  at: string;
}

export const registryHistoryVerb: CliVerb = {
  name: 'registry history',
  summary: "show who changed a model's versions and aliases, when and why",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, options: { ...API_OPTIONS, limit: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
    const model = positionals[0];
    if (model === undefined || positionals.length > 1) throw new UsageError('give exactly one model name');
    const limit = values.limit === undefined ? 20 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError('--limit must be an integer from 1 to 10000');
    const body = (await callApi(apiTarget(values, io), 'GET', registryPath(model, `/history?limit=${limit}`))) as { events: EventRow[] };
    if (values.json) {
      io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      return 0;
    }
    const what = (e: EventRow): string => {
      if (e.alias === null) return e.version === null ? e.action : `${e.action} ${e.version}`;
      return `${e.action} ${e.alias}: ${e.previousVersion ?? '-'} → ${e.version ?? '-'}`;
    };
    const rows = body.events.map((e) => [e.at.replace(/\.\d{3}Z$/, 'Z'), e.by, what(e), e.reason || '-']);
    io.stdout.write(`${formatTable([['WHEN', 'BY', 'WHAT', 'WHY'], ...rows])}\n`);
    return 0;
  },
};
