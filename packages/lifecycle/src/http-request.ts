/** One HTTP request, as plain data (what a dispatch target expects; sent by the dispatcher). */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The exact body bytes as text (already serialised, so signatures cover what is sent). */
  readonly body?: string;
}

export const USER_AGENT = 'driftwatch-lifecycle/0.1';
