/** The workbench API as the page uses it: the session cookie travels by itself, writes add the CSRF token. */

export interface Session {
  key_id: string;
  name: string | null;
  role: string;
  csrf_token: string;
  expires_at: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return undefined as T;
  const payload = (await response.json().catch(() => ({}))) as { detail?: string };
  if (!response.ok) throw new ApiError(response.status, payload.detail ?? `${response.status} ${response.statusText}`);
  return payload as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown) => request<T>('POST', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** Times are shown in UTC and say so, whatever the analyst's own zone. */
export function utc(iso: string | null | undefined, withSeconds = false): string {
  if (iso === null || iso === undefined) return '—';
  const text = new Date(iso).toISOString().replace('T', ' ');
  return `${withSeconds ? text.slice(0, 19) : text.slice(0, 16)} UTC`;
}

export function score(value: number): string {
  return value.toFixed(2);
}

export function percent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`;
}

export interface Evidence {
  signal: string;
  weight: number;
  detail: string;
  value: number | null;
  examples: string[];
  family: string | null;
  description: string | null;
  exchange_filter: string;
}

export interface QueueItem {
  kind: 'cluster' | 'account';
  id: string;
  score: number;
  flagged: boolean;
  status: string;
  capability: string | null;
  tiers: string[];
  first_seen: string | null;
  last_seen: string | null;
  exchanges: number;
  accounts: number;
  cluster_id: string | null;
  top_evidence: { signal: string; weight: number; detail: string }[];
}

export interface TimelineRow {
  day: string;
  key: string;
  exchanges: number;
}

export const STATUSES = ['new', 'in_review', 'confirmed', 'dismissed', 'watch'] as const;
export const STATUS_WORDS: Record<string, string> = { new: 'new', in_review: 'in review', confirmed: 'confirmed', dismissed: 'dismissed', watch: 'watch' };
