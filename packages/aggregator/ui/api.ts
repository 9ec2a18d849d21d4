import type { DriftResponse, ModelsResponse, TimelineResponse } from './api-types.js';

/** An API answer that is not 2xx: the status and the server's `{ error }` message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' }, cache: 'no-store' });
  const text = await response.text();
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = JSON.parse(text) as { error?: unknown };
      if (typeof body.error === 'string') message = body.error;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, `${path}: ${message}`);
  }
  return JSON.parse(text) as T;
}

const query = (params: Record<string, string | undefined>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
};

export const fetchModels = (): Promise<ModelsResponse> => getJson('/api/v1/models');

export const fetchDrift = (model: string, version: string, window?: string): Promise<DriftResponse> =>
  getJson(`/api/v1/models/${encodeURIComponent(model)}/drift${query({ version, window })}`);

export const fetchTimeline = (model: string, version: string, window: string): Promise<TimelineResponse> =>
  getJson(`/api/v1/models/${encodeURIComponent(model)}/timeline${query({ version, window })}`);
