/** The console's JSON API client: same-origin cookies, the CSRF token on every write. */
let csrfToken = '';

export function setCsrfToken(value: string): void {
  csrfToken = value;
}

/** An OpenAI-style error from /console/api/*. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, options: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/console/api${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => ({}))) as { error?: { message?: string; code?: string } };
  if (!response.ok) throw new ApiError(body.error?.message ?? `HTTP ${response.status}`, response.status, body.error?.code ?? 'unknown');
  return body as T;
}

export interface SessionInfo {
  principal: { id: string; kind: string; department?: string };
  scopes: string[];
  method: 'admin_key' | 'oidc';
  csrf_token: string;
  expires_at: string;
}
