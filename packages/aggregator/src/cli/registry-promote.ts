import { parseArgs } from 'node:util';
import { API_HELP, API_OPTIONS, actorOf, apiTarget, callApi, registryPath } from './admin-api.js';
import { UsageError, type CliVerb } from './verbs.js';

const HELP = `Usage: driftwatch registry promote <model> <version> [--reason <text>] [--by <name>] [--alias <alias>]

Points the \`champion\` alias (or --alias) at a registered version and records who and why:
PUT /api/v1/registry/models/{model}/aliases/{alias}. Serving that follows the alias switches to it.
A canary rollout of that version is marked promoted.

Options:
  --reason <text>    why (kept in the registry's history)
  --by <name>        who (default: env DRIFTWATCH_ACTOR, else user@host)
  --alias <alias>    the alias to move (default champion)
${API_HELP}
  -h, --help         show this help
`;

export const registryPromoteVerb: CliVerb = {
  name: 'registry promote',
  summary: 'point champion at a version (who and why are recorded)',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { ...API_OPTIONS, reason: { type: 'string' }, by: { type: 'string' }, alias: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const [model, version] = positionals;
    if (model === undefined || version === undefined || positionals.length > 2) throw new UsageError('give a model name and a version');
    const alias = values.alias ?? 'champion';
    const by = actorOf(values.by, io);
    const body = (await callApi(apiTarget(values, io), 'PUT', registryPath(model, `/aliases/${encodeURIComponent(alias)}`), {
      version,
      by,
      ...(values.reason === undefined ? {} : { reason: values.reason }),
    })) as { previousVersion: string | null };
    io.stdout.write(
      body.previousVersion === version
        ? `${model}: ${alias} is already version ${version}\n`
        : `${model}: ${alias} ${body.previousVersion ?? '(unset)'} → ${version} (by ${by})\n`,
    );
    return 0;
  },
};
