import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// ---------------------------------------------------------------------------------------------
// A fake MLflow tracking server (Model Registry REST API 2.0 subset). It checks what the adapter
// sends — method, path, auth, content type, required fields — and answers the way MLflow does,
// including its error bodies `{ error_code, message }`. Search pages hold 2 versions so the
// adapter's pagination is exercised.
// ---------------------------------------------------------------------------------------------

interface FakeVersion {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  user_id: string;
  current_stage: string;
  description: string;
  source: string;
  run_id: string;
  status: string;
  tags: Array<{ key: string; value: string }>;
}
interface FakeModel {
  name: string;
  creation_timestamp: number;
  description: string;
  tags: Map<string, string>;
  aliases: Map<string, string>;
  versions: FakeVersion[];
}
interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** The bearer token the fake accepts. */
export const MLFLOW_TEST_TOKEN = 'mlflow-token';
const TOKEN = MLFLOW_TEST_TOKEN;
const PAGE_SIZE = 2;

class MlflowFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type FakeMlflow = Awaited<ReturnType<typeof startFakeMlflow>>;

export async function startFakeMlflow(clock: { now: number }) {
  const models = new Map<string, FakeModel>();
  const requests: FakeRequest[] = [];
  const authorizations: Array<string | undefined> = [];
  /** `next`: the status of the next request's injected failure; `down`: every request fails with 503 (an outage). */
  const faults: { next: number | null; down: boolean } = { next: null, down: false };

  const need = (value: unknown, field: string): string => {
    if (typeof value !== 'string' || value === '') throw new MlflowFailure(400, 'INVALID_PARAMETER_VALUE', `Missing value for required parameter '${field}'.`);
    return value;
  };
  const model = (name: string): FakeModel => {
    const m = models.get(name);
    if (m === undefined) throw new MlflowFailure(404, 'RESOURCE_DOES_NOT_EXIST', `Registered Model with name=${name} not found`);
    return m;
  };
  const version = (m: FakeModel, v: string): FakeVersion => {
    const found = m.versions.find((x) => x.version === v);
    if (found === undefined) throw new MlflowFailure(404, 'RESOURCE_DOES_NOT_EXIST', `Model Version (name=${m.name}, version=${v}) not found`);
    return found;
  };
  const versionJson = (m: FakeModel, v: FakeVersion) => ({
    ...v,
    aliases: [...m.aliases].filter(([, to]) => to === v.version).map(([alias]) => alias),
  });
  const modelJson = (m: FakeModel) => ({
    name: m.name,
    creation_timestamp: m.creation_timestamp,
    last_updated_timestamp: m.creation_timestamp,
    description: m.description,
    tags: [...m.tags].map(([key, value]) => ({ key, value })),
    aliases: [...m.aliases].map(([alias, v]) => ({ alias, version: v })),
  });

  const routes: Record<string, (req: FakeRequest) => unknown> = {
    'POST registered-models/create': ({ body }) => {
      const name = need(body['name'], 'name');
      if (models.has(name)) throw new MlflowFailure(400, 'RESOURCE_ALREADY_EXISTS', `Registered Model (name=${name}) already exists.`);
      const tags = new Map<string, string>();
      for (const t of (body['tags'] as Array<{ key: string; value: string }> | undefined) ?? []) tags.set(t.key, t.value);
      const m: FakeModel = { name, creation_timestamp: clock.now, description: (body['description'] as string | undefined) ?? '', tags, aliases: new Map(), versions: [] };
      models.set(name, m);
      return { registered_model: modelJson(m) };
    },
    'GET registered-models/search': ({ query }) => {
      const max = Number(query.get('max_results') ?? '100');
      return { registered_models: [...models.values()].slice(0, max).map(modelJson) };
    },
    'GET registered-models/get': ({ query }) => ({ registered_model: modelJson(model(need(query.get('name'), 'name'))) }),
    'POST registered-models/set-tag': ({ body }) => {
      const m = model(need(body['name'], 'name'));
      const key = need(body['key'], 'key');
      const value = need(body['value'], 'value');
      if (key.length > 250 || value.length > 5000) throw new MlflowFailure(400, 'INVALID_PARAMETER_VALUE', 'tag too long');
      m.tags.set(key, value);
      return {};
    },
    'POST model-versions/create': ({ body }) => {
      const m = model(need(body['name'], 'name'));
      const source = need(body['source'], 'source');
      const v: FakeVersion = {
        name: m.name,
        version: String(m.versions.length + 1),
        creation_timestamp: clock.now,
        last_updated_timestamp: clock.now,
        user_id: '',
        current_stage: 'None',
        description: (body['description'] as string | undefined) ?? '',
        source,
        run_id: (body['run_id'] as string | undefined) ?? '',
        status: 'READY',
        tags: (body['tags'] as FakeVersion['tags'] | undefined) ?? [],
      };
      m.versions.push(v);
      return { model_version: versionJson(m, v) };
    },
    'GET model-versions/get': ({ query }) => {
      const m = model(need(query.get('name'), 'name'));
      return { model_version: versionJson(m, version(m, need(query.get('version'), 'version'))) };
    },
    'GET model-versions/search': ({ query }) => {
      const match = /^name='([^']+)'$/.exec(query.get('filter') ?? '');
      if (match === null) throw new MlflowFailure(400, 'INVALID_PARAMETER_VALUE', 'unsupported filter');
      const m = models.get(match[1] as string);
      const all = m === undefined ? [] : [...m.versions].reverse().map((v) => versionJson(m, v));
      const start = Number(query.get('page_token') ?? '0');
      const size = Math.min(PAGE_SIZE, Number(query.get('max_results') ?? '1000'));
      const page = all.slice(start, start + size);
      return start + size < all.length ? { model_versions: page, next_page_token: String(start + size) } : { model_versions: page };
    },
    'POST registered-models/alias': ({ body }) => {
      const m = model(need(body['name'], 'name'));
      const v = version(m, need(body['version'], 'version'));
      m.aliases.set(need(body['alias'], 'alias'), v.version);
      return {};
    },
    'GET registered-models/alias': ({ query }) => {
      const m = model(need(query.get('name'), 'name'));
      const alias = need(query.get('alias'), 'alias');
      const to = m.aliases.get(alias);
      if (to === undefined) throw new MlflowFailure(404, 'RESOURCE_DOES_NOT_EXIST', `Registered model alias ${alias} not found.`);
      return { model_version: versionJson(m, version(m, to)) };
    },
    'DELETE registered-models/alias': ({ body }) => {
      const m = model(need(body['name'], 'name'));
      m.aliases.delete(need(body['alias'], 'alias'));
      return {};
    },
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const text = Buffer.concat(chunks).toString('utf8');
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      try {
        if (faults.down) throw new MlflowFailure(503, 'TEMPORARILY_UNAVAILABLE', 'injected outage');
        if (faults.next !== null) {
          const status = faults.next;
          faults.next = null;
          throw new MlflowFailure(status, 'INTERNAL_ERROR', 'injected fault');
        }
        authorizations.push(req.headers['authorization']);
        if (req.headers['authorization'] !== `Bearer ${TOKEN}`) throw new MlflowFailure(401, 'UNAUTHENTICATED', 'missing token');
        if (!url.pathname.startsWith('/api/2.0/mlflow/')) throw new MlflowFailure(404, 'ENDPOINT_NOT_FOUND', url.pathname);
        let body: Record<string, unknown> = {};
        if (req.method !== 'GET') {
          if (req.headers['content-type'] !== 'application/json') throw new MlflowFailure(400, 'BAD_REQUEST', 'Content-Type must be application/json');
          body = JSON.parse(text) as Record<string, unknown>;
        } else if (text !== '') {
          throw new MlflowFailure(400, 'BAD_REQUEST', 'GET with a body');
        }
        const path = url.pathname.slice('/api/2.0/mlflow/'.length);
        const recorded: FakeRequest = { method: req.method ?? '', path, query: url.searchParams, headers: req.headers, body };
        requests.push(recorded);
        const route = routes[`${req.method} ${path}`];
        if (route === undefined) throw new MlflowFailure(404, 'ENDPOINT_NOT_FOUND', `${req.method} ${path}`);
        reply(200, route(recorded));
      } catch (error) {
        if (error instanceof MlflowFailure) reply(error.status, { error_code: error.code, message: error.message });
        else reply(500, { error_code: 'INTERNAL_ERROR', message: String(error) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    models,
    requests,
    authorizations,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

