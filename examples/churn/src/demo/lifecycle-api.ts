/**
 * The aggregator's registry, rollout and retraining endpoints as the rollout scenarios call them (docs/rollout.md,
 * docs/retraining.md): plain HTTP like any client, only the fields the demo reads typed. Every function throws an
 * Error naming the request and the answer when the status is not the expected one.
 */

export interface ApiModelVersion {
  readonly model: string;
  readonly version: string;
  readonly artifactUri: string;
  readonly metrics: Readonly<Record<string, number>>;
  readonly runId: string | null;
  readonly createdBy: string;
  readonly aliases: readonly string[];
}

export interface ApiCheck {
  readonly check: string;
  readonly status: 'pass' | 'fail' | 'inconclusive';
  readonly blocking: boolean;
  readonly reason: string;
}

export interface ApiJudgement {
  readonly verdict: 'pass' | 'fail' | 'inconclusive';
  readonly at: string;
  readonly primaryCalls: number;
  readonly candidateCalls: number;
  readonly checks: readonly ApiCheck[];
  readonly reasons: readonly string[];
}

export interface ApiRolloutDecision {
  readonly decision: 'start' | 'step' | 'hold' | 'pause' | 'resume' | 'promote' | 'rollback';
  readonly source: 'analysis' | 'manual';
  readonly weightPercent: number;
  readonly phase: string;
  readonly by: string;
  readonly reasons: readonly string[];
  readonly at: string;
}

export interface ApiRollout {
  readonly model: string;
  readonly rolloutId?: number;
  readonly phase: 'none' | 'progressing' | 'paused' | 'promoted' | 'rolled_back';
  readonly primaryVersion: string | null;
  readonly candidateVersion: string | null;
  /** a fraction, as the SDK reads it */
  readonly weight: number;
  readonly weightPercent: number;
  readonly steps?: readonly number[];
  readonly measurementsPerStep?: number;
  readonly lastDecision?: ApiRolloutDecision | null;
  readonly lastJudgement?: ApiJudgement | null;
  readonly measurement?: { readonly primaryCalls: number; readonly candidateCalls: number; readonly requiredCalls: number } | null;
  readonly registrySync?: { readonly pending: string; readonly attempts: number; readonly lastError: string | null } | null;
}

export interface ApiRolloutEvent extends ApiRolloutDecision {
  readonly seq: number;
  readonly rolloutId: number;
  readonly candidateVersion: string;
  readonly primaryVersion: string;
  readonly judgement: ApiJudgement | null;
}

export interface ApiDispatch {
  readonly idempotencyKey: string;
  readonly target: string;
  readonly trigger: string;
  readonly incidentId: string;
  readonly status: 'succeeded' | 'duplicate' | 'failed' | 'skipped';
  readonly attempts: number;
  readonly responseCode: number | null;
  readonly error: string | null;
  readonly startedAt: string;
  readonly durationMs: number;
}

export interface ApiRetraining {
  readonly state: { readonly inCooldown?: boolean; readonly cooldownLeft?: string | null; readonly handledIncidents?: readonly string[] } | null;
  readonly lastDecision: {
    readonly atMs: number;
    readonly fired: boolean;
    readonly trigger: string | null;
    readonly suppressedBy: 'disabled' | 'cooldown' | null;
    readonly incidents: readonly string[];
    readonly reasons: readonly string[];
  } | null;
  readonly pendingDispatches: number;
  /** newest first */
  readonly dispatches: readonly ApiDispatch[];
}

async function call<T>(method: string, url: string, expected: readonly number[], body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!expected.includes(response.status)) throw new Error(`${method} ${new URL(url).pathname}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return (text === '' ? null : JSON.parse(text)) as T;
}

const m = (model: string): string => encodeURIComponent(model);

/** The aggregator API of one model: registry, rollout and retraining audit. */
export interface LifecycleApi {
  registerVersion(input: { artifactUri: string; metrics?: Record<string, number>; description?: string; by: string; reason?: string }): Promise<ApiModelVersion>;
  setAlias(alias: string, version: string, by: string, reason: string): Promise<void>;
  /** the version `alias` points to, or null when it is unset */
  aliasVersion(alias: string): Promise<string | null>;
  versions(): Promise<ApiModelVersion[]>;
  startRollout(input: { candidateVersion: string; by: string; reason: string }): Promise<ApiRollout>;
  rollout(): Promise<ApiRollout>;
  /** the decisions of one rollout, oldest first */
  rolloutEvents(rolloutId: number): Promise<ApiRolloutEvent[]>;
  retraining(): Promise<ApiRetraining>;
}

export function lifecycleApi(apiUrl: string, model: string): LifecycleApi {
  const registry = `${apiUrl}/api/v1/registry/models/${m(model)}`;
  const models = `${apiUrl}/api/v1/models/${m(model)}`;
  return {
    registerVersion: (input) => call<ApiModelVersion>('POST', `${registry}/versions`, [201], input),
    async setAlias(alias, version, by, reason) {
      await call('PUT', `${registry}/aliases/${encodeURIComponent(alias)}`, [200], { version, by, reason });
    },
    async aliasVersion(alias) {
      const response = await fetch(`${registry}/aliases/${encodeURIComponent(alias)}`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (!response.ok) throw new Error(`GET ${new URL(response.url).pathname}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
      return ((await response.json()) as ApiModelVersion).version;
    },
    versions: async () => (await call<{ versions: ApiModelVersion[] }>('GET', `${registry}/versions`, [200])).versions,
    startRollout: (input) => call<ApiRollout>('PUT', `${models}/rollout`, [201], input),
    rollout: () => call<ApiRollout>('GET', `${models}/rollout`, [200]),
    rolloutEvents: async (rolloutId) => (await call<{ events: ApiRolloutEvent[] }>('GET', `${models}/rollout/history?limit=1000&rollout=${rolloutId}`, [200])).events.reverse(),
    retraining: () => call<ApiRetraining>('GET', `${models}/retraining?limit=100`, [200]),
  };
}
