import { parseArgs } from 'node:util';
import { API_HELP, API_OPTIONS, actorOf, apiTarget, callApi, registryPath } from './admin-api.js';
import { UsageError, type CliVerb } from './verbs.js';

const HELP = `Usage: driftwatch registry rollback <model> [--reason <text>] [--by <name>]

Moves the \`champion\` alias back to the previous champion and records who and why:
POST /api/v1/registry/models/{model}/rollback. Repeated rollbacks walk further back (v3 → v2 → v1).
A promoted rollout of the version rolled back from is marked rolled back (canary weight 0).

Options:
  --reason <text>    why (kept in the registry's history)
  --by <name>        who (default: env DRIFTWATCH_ACTOR, else user@host)
${API_HELP}
  -h, --help         show this help
`;

export const registryRollbackVerb: CliVerb = {
  name: 'registry rollback',
  summary: 'move champion back to the previous version (one command)',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, options: { ...API_OPTIONS, reason: { type: 'string' }, by: { type: 'string' } }, allowPositionals: true, strict: true });
    const model = positionals[0];
    if (model === undefined || positionals.length > 1) throw new UsageError('give exactly one model name');
    const by = actorOf(values.by, io);
    const body = (await callApi(apiTarget(values, io), 'POST', registryPath(model, '/rollback'), {
      by,
      ...(values.reason === undefined ? {} : { reason: values.reason }),
    })) as { from: string; to: string };
    io.stdout.write(`${model}: champion ${body.from} → ${body.to} (rolled back by ${by})\n`);
    return 0;
  },
};
