import {
  expectObject,
  readOptionalBoolean,
  readOptionalString,
  readString,
  readStringList,
  readStringMap,
  rejectUnknownKeys,
} from './config-fields.js';
import type { PlainObject } from './config-fields.js';
import { readOptionalSecret, readSecret, secretKeys } from './secret-field.js';
import { ValidationError, describeValue, joinPath } from './validation-error.js';

/** A generic HTTPS endpoint; requests are signed with HMAC-SHA256 (see `signWebhookBody`). */
export interface WebhookTarget {
  readonly kind: 'webhook';
  readonly name: string;
  readonly url: string;
  readonly secret: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** GitHub Actions `repository_dispatch` (`POST /repos/{owner}/{repo}/dispatches`). */
export interface GithubRepositoryDispatchTarget {
  readonly kind: 'github_repository_dispatch';
  readonly name: string;
  readonly owner: string;
  readonly repo: string;
  readonly token: string;
  readonly eventType: string;
  /** `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server. */
  readonly baseUrl: string;
}

/** GitHub Actions `workflow_dispatch` (`POST /repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches`). */
export interface GithubWorkflowDispatchTarget {
  readonly kind: 'github_workflow_dispatch';
  readonly name: string;
  readonly owner: string;
  readonly repo: string;
  readonly token: string;
  /** Workflow file name (`retrain.yml`) or numeric id. */
  readonly workflow: string;
  /** Branch or tag to run the workflow on. */
  readonly ref: string;
  /** Static inputs sent with every run. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Also send `model`, `trigger`, `incident_id`, `idempotency_key`, `reasons` (the workflow must declare them). */
  readonly eventInputs: boolean;
  readonly baseUrl: string;
}

/** Airflow REST API: v1 with basic auth (Airflow 2) or v2 with a JWT from `/auth/token` (Airflow 3). */
export interface AirflowTarget {
  readonly kind: 'airflow';
  readonly name: string;
  readonly version: 2 | 3;
  readonly baseUrl: string;
  readonly dagId: string;
  readonly username: string;
  readonly password: string;
  /** Extra DAG run `conf` entries, merged under the retraining event. */
  readonly conf: Readonly<Record<string, string>>;
}

/** Prefect: `POST {baseUrl}/deployments/{id}/create_flow_run`. */
export interface PrefectTarget {
  readonly kind: 'prefect';
  readonly name: string;
  /** The API root, e.g. `http://127.0.0.1:4200/api` or `https://api.prefect.cloud/api/accounts/{a}/workspaces/{w}`. */
  readonly baseUrl: string;
  readonly deploymentId: string;
  /** Sent as `Authorization: Bearer` when set (Prefect Cloud API key). */
  readonly apiKey: string | null;
  readonly tags: readonly string[];
  /** Static flow parameters. */
  readonly parameters: Readonly<Record<string, string>>;
  /** The flow parameter that receives the retraining event as a dict (`null`: not sent). */
  readonly eventParameter: string | null;
}

export type DispatchTarget =
  | WebhookTarget
  | GithubRepositoryDispatchTarget
  | GithubWorkflowDispatchTarget
  | AirflowTarget
  | PrefectTarget;

export type DispatchTargetKind = DispatchTarget['kind'];

const GITHUB_API = 'https://api.github.com';

function readUrl(obj: PlainObject, key: string, path: string, fallback?: string): string {
  const value = obj[key] ?? fallback;
  const field = joinPath(path, key);
  if (typeof value !== 'string') throw new ValidationError(field, `expected a URL, got ${describeValue(value)}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(field, `${describeValue(value)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ValidationError(field, `${describeValue(value)} must use http or https`);
  }
  return value.replace(/\/+$/, '');
}

function readRepository(obj: PlainObject, path: string): { owner: string; repo: string } {
  const value = readString(obj, 'repository', path);
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value);
  if (match === null) throw new ValidationError(joinPath(path, 'repository'), `${describeValue(value)} is not "owner/repo"`);
  return { owner: match[1] as string, repo: match[2] as string };
}

const COMMON_KEYS = ['kind', 'name'];

/**
 * Validates one dispatch target as written in config (snake_case keys). Each secret (`secret`, `token`, `password`,
 * `api_key`) may instead be given as `<key>_file` (a file's content) or `<key>_env` (an environment variable's name),
 * read once here (see `readSecret`). Throws
 * {@link ValidationError} naming the field, e.g. `retraining_targets[0].repository: "x" is not "owner/repo"`.
 *
 * ```yaml
 * - { kind: webhook, name: hook, url: https://ml.example.com/retrain, secret: s3cret, headers: { X-Team: ml } }
 * - { kind: github_repository_dispatch, name: gha, repository: acme/models, token: ghp_…, event_type: driftwatch-retrain }
 * - { kind: github_workflow_dispatch, name: gha-wf, repository: acme/models, workflow: retrain.yml, ref: main, token: ghp_… }
 * - { kind: airflow, name: af, version: 3, base_url: http://airflow:8080, dag_id: retrain, username: u, password: p }
 * - { kind: prefect, name: pf, base_url: http://127.0.0.1:4200/api, deployment_id: 0b4c…, api_key: pnu_…, tags: [ml] }
 * ```
 */
export function parseDispatchTarget(raw: unknown, path = 'target'): DispatchTarget {
  const obj = expectObject(raw, path);
  const kind = obj['kind'];
  const name = readString(obj, 'name', path);
  switch (kind) {
    case 'webhook':
      rejectUnknownKeys(obj, [...COMMON_KEYS, 'url', ...secretKeys('secret'), 'headers'], path);
      return { kind, name, url: readUrl(obj, 'url', path), secret: readSecret(obj, 'secret', path), headers: readStringMap(obj, 'headers', path) };
    case 'github_repository_dispatch': {
      rejectUnknownKeys(obj, [...COMMON_KEYS, 'repository', ...secretKeys('token'), 'event_type', 'base_url'], path);
      const eventType = readOptionalString(obj, 'event_type', path) ?? 'driftwatch-retrain';
      if (eventType.length > 100) throw new ValidationError(joinPath(path, 'event_type'), 'GitHub allows at most 100 characters');
      return { kind, name, ...readRepository(obj, path), token: readSecret(obj, 'token', path), eventType, baseUrl: readUrl(obj, 'base_url', path, GITHUB_API) };
    }
    case 'github_workflow_dispatch': {
      rejectUnknownKeys(obj, [...COMMON_KEYS, 'repository', ...secretKeys('token'), 'workflow', 'ref', 'inputs', 'event_inputs', 'base_url'], path);
      const workflowRaw = obj['workflow'];
      const workflow = typeof workflowRaw === 'number' && Number.isInteger(workflowRaw) ? String(workflowRaw) : readString(obj, 'workflow', path);
      const eventInputs = readOptionalBoolean(obj, 'event_inputs', path, true);
      const inputs = readStringMap(obj, 'inputs', path);
      const count = Object.keys(inputs).length + (eventInputs ? 5 : 0);
      if (count > 25) throw new ValidationError(joinPath(path, 'inputs'), `GitHub accepts at most 25 workflow inputs, this target would send ${count}`);
      return {
        kind, name, ...readRepository(obj, path), token: readSecret(obj, 'token', path), workflow,
        ref: readString(obj, 'ref', path), inputs, eventInputs, baseUrl: readUrl(obj, 'base_url', path, GITHUB_API),
      };
    }
    case 'airflow': {
      rejectUnknownKeys(obj, [...COMMON_KEYS, 'version', 'base_url', 'dag_id', 'username', ...secretKeys('password'), 'conf'], path);
      const version = obj['version'] ?? 2;
      if (version !== 2 && version !== 3) throw new ValidationError(joinPath(path, 'version'), `expected 2 or 3, got ${describeValue(version)}`);
      return {
        kind, name, version, baseUrl: readUrl(obj, 'base_url', path), dagId: readString(obj, 'dag_id', path),
        username: readString(obj, 'username', path), password: readSecret(obj, 'password', path), conf: readStringMap(obj, 'conf', path),
      };
    }
    case 'prefect': {
      rejectUnknownKeys(obj, [...COMMON_KEYS, 'base_url', 'deployment_id', ...secretKeys('api_key'), 'tags', 'parameters', 'event_parameter'], path);
      const eventParameter = obj['event_parameter'] === null ? null : (readOptionalString(obj, 'event_parameter', path) ?? 'driftwatch');
      return {
        kind, name, baseUrl: readUrl(obj, 'base_url', path), deploymentId: readString(obj, 'deployment_id', path),
        apiKey: readOptionalSecret(obj, 'api_key', path) ?? null, tags: readStringList(obj, 'tags', path),
        parameters: readStringMap(obj, 'parameters', path), eventParameter,
      };
    }
    default:
      throw new ValidationError(
        joinPath(path, 'kind'),
        `${describeValue(kind)} is not a dispatch target kind (webhook, github_repository_dispatch, github_workflow_dispatch, airflow, prefect)`,
      );
  }
}
