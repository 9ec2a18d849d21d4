import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { validateReferenceProfile } from '@driftwatch/stats';
import { UsageError, type CliVerb } from './verbs.js';

const HELP = `Usage: driftwatch reference push <ref.json> [--url http://127.0.0.1:9464] [--token <admin token>]

Uploads a reference profile: PUT /api/v1/models/{model}/versions/{version}/reference.

Options:
  --url <url>        the aggregator's API (default http://127.0.0.1:9464)
  --token <token>    admin bearer token (default: env DRIFTWATCH_ADMIN_TOKEN)
  -h, --help         show this help
`;

export const referencePushVerb: CliVerb = {
  name: 'reference push',
  summary: 'upload a reference profile to a running aggregator',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { url: { type: 'string' }, token: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const file = positionals[0];
    if (file === undefined || positionals.length > 1) throw new UsageError('give exactly one reference file');
    const text = readFileSync(file, 'utf8');
    let profile;
    try {
      profile = validateReferenceProfile(JSON.parse(text));
    } catch (err) {
      throw new Error(`${file} is not a valid reference profile: ${(err as Error).message}`);
    }
    const base = (values.url ?? 'http://127.0.0.1:9464').replace(/\/+$/, '');
    const token = values.token ?? io.env['DRIFTWATCH_ADMIN_TOKEN'];
    const url = `${base}/api/v1/models/${encodeURIComponent(profile.model)}/versions/${encodeURIComponent(profile.version)}/reference`;
    const res = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: text,
    });
    const body = await res.text();
    if (!res.ok) {
      let message = body;
      try {
        message = (JSON.parse(body) as { error?: string }).error ?? body;
      } catch {
        // not JSON: keep the text
      }
      throw new Error(`${url}: HTTP ${res.status}: ${message}`);
    }
    io.stdout.write(`pushed reference for model ${profile.model} version ${profile.version} (${profile.rowCount} rows, ${Object.keys(profile.features).length} features)\n`);
    return 0;
  },
};
