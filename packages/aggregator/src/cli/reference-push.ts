import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { validateReferenceProfile } from '@driftwatch/stats';
import { API_HELP, API_OPTIONS, apiTarget, callApi } from './admin-api.js';
import { UsageError, type CliVerb } from './verbs.js';

const HELP = `Usage: driftwatch reference push <ref.json> [--url http://127.0.0.1:9464] [--token <admin token>]

Uploads a reference profile: PUT /api/v1/models/{model}/versions/{version}/reference.

Options:
${API_HELP}
  -h, --help         show this help
`;

export const referencePushVerb: CliVerb = {
  name: 'reference push',
  summary: 'upload a reference profile to a running aggregator',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: API_OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    const file = positionals[0];
    if (file === undefined || positionals.length > 1) throw new UsageError('give exactly one reference file');
    const text = readFileSync(file, 'utf8');
    let body: unknown;
    let profile;
    try {
      body = JSON.parse(text);
      profile = validateReferenceProfile(body);
    } catch (err) {
      throw new Error(`${file} is not a valid reference profile: ${(err as Error).message}`);
    }
    const path = `/api/v1/models/${encodeURIComponent(profile.model)}/versions/${encodeURIComponent(profile.version)}/reference`;
    await callApi(apiTarget(values, io), 'PUT', path, body);
    io.stdout.write(`pushed reference for model ${profile.model} version ${profile.version} (${profile.rowCount} rows, ${Object.keys(profile.features).length} features)\n`);
    return 0;
  },
};
