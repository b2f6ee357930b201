// The page's only way to the server: the public /api/v1 API, same origin. The API key (needed when
// the server listens beyond loopback) is kept in localStorage and sent as x-api-key; a 401
// LH_ERR_API_KEY asks the page for one (see ApiKeyDialog).
import type { AlertHistoryJson, AlertJson, EventContextJson, FieldJson, HostsJson, LogJson, QueryAnswerJson, SavedQueryJson } from "../core/api-json.js";

const KEY_STORAGE = "logharbor.apiKey";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly position?: number,
  ) {
    super(message);
  }
}

let keyListeners: Array<() => void> = [];

export function apiKey(): string {
  return localStorage.getItem(KEY_STORAGE) ?? "";
}

export function setApiKey(key: string): void {
  if (key) localStorage.setItem(KEY_STORAGE, key);
  else localStorage.removeItem(KEY_STORAGE);
}

/** Called whenever the server refuses the key (or its absence). */
export function onKeyNeeded(fn: () => void): () => void {
  keyListeners.push(fn);
  return () => (keyListeners = keyListeners.filter((f) => f !== fn));
}

export function headers(extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { ...extra };
  const k = apiKey();
  if (k) h["x-api-key"] = k;
  return h;
}

export async function errorOf(res: Response): Promise<ApiError> {
  let code = "LH_ERR_HTTP";
  let message = `${res.status} ${res.statusText}`;
  let position: number | undefined;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; position?: number } };
    if (body.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
      position = body.error.position;
    }
  } catch {
    /* not JSON */
  }
  if (res.status === 401 && code === "LH_ERR_API_KEY") for (const f of keyListeners) f();
  return new ApiError(res.status, code, message, position);
}

async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { method, headers: headers(body === undefined ? {} : { "content-type": "application/json" }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  if (signal) init.signal = signal;
  const res = await fetch(path, init);
  if (!res.ok) throw await errorOf(res);
  return (res.status === 204 ? {} : await res.json()) as T;
}

export interface QueryParams {
  q: string;
  from?: number | string | undefined;
  to?: number | string | undefined;
  log?: string | undefined;
  limit?: number;
  after?: string | undefined;
}

export function query(p: QueryParams, signal?: AbortSignal): Promise<QueryAnswerJson> {
  const body: Record<string, unknown> = { q: p.q };
  for (const k of ["from", "to", "log", "limit", "after"] as const) if (p[k] !== undefined && p[k] !== "") body[k] = p[k];
  return call<QueryAnswerJson>("POST", "/api/v1/query", body, signal);
}

function qs(params: Record<string, string | number | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : "";
}

export async function fields(range: { from?: number | undefined; to?: number | undefined; log?: string | undefined }): Promise<FieldJson[]> {
  return (await call<{ fields: FieldJson[] }>("GET", `/api/v1/fields${qs(range)}`)).fields;
}

export async function fieldValues(
  name: string,
  range: { from?: number | undefined; to?: number | undefined; log?: string | undefined },
): Promise<Array<{ value: string | number; count: number }>> {
  return (await call<{ values: Array<{ value: string | number; count: number }> }>("GET", `/api/v1/fields/${encodeURIComponent(name)}/values${qs({ ...range, limit: 30 })}`)).values;
}

export async function listLogs(): Promise<LogJson[]> {
  return (await call<{ logs: LogJson[] }>("GET", "/api/v1/logs")).logs;
}

export async function createLog(name: string): Promise<LogJson> {
  return (await call<{ log: LogJson }>("POST", "/api/v1/logs", { name })).log;
}

/** A new token; the old one stays accepted for graceSeconds (0: refused at once). */
export async function rotateToken(log: string, graceSeconds: number): Promise<LogJson> {
  return (await call<{ log: LogJson }>("POST", `/api/v1/logs/${encodeURIComponent(log)}/token/rotate`, { grace_seconds: graceSeconds })).log;
}

/** Every token of the log refused at once, or only the previous ones still in their grace period. */
export async function revokeToken(log: string, previousOnly: boolean): Promise<LogJson> {
  return (await call<{ log: LogJson }>("POST", `/api/v1/logs/${encodeURIComponent(log)}/token/revoke`, { previous_only: previousOnly })).log;
}

export type SavedQueryInput = Pick<SavedQueryJson, "name" | "q" | "from" | "to" | "log">;

export async function listSavedQueries(): Promise<SavedQueryJson[]> {
  return (await call<{ saved_queries: SavedQueryJson[] }>("GET", "/api/v1/saved-queries")).saved_queries;
}

export async function createSavedQuery(s: SavedQueryInput): Promise<SavedQueryJson> {
  return (await call<{ saved_query: SavedQueryJson }>("POST", "/api/v1/saved-queries", s)).saved_query;
}

export async function updateSavedQuery(id: string, s: SavedQueryInput): Promise<SavedQueryJson> {
  return (await call<{ saved_query: SavedQueryJson }>("PUT", `/api/v1/saved-queries/${encodeURIComponent(id)}`, s)).saved_query;
}

export async function deleteSavedQuery(id: string): Promise<void> {
  await call<unknown>("DELETE", `/api/v1/saved-queries/${encodeURIComponent(id)}`);
}

export type FieldInfoLike = FieldJson;

export type ContextBy = EventContextJson["by"];

/** The entries around one (GET /api/v1/events/{id}/context). */
export function eventContext(id: number, by: ContextBy, n: number): Promise<EventContextJson> {
  return call<EventContextJson>("GET", `/api/v1/events/${id}/context${qs({ by, n })}`);
}

export async function listAlerts(): Promise<AlertJson[]> {
  return (await call<{ alerts: AlertJson[] }>("GET", "/api/v1/alerts")).alerts;
}

export async function createAlert(body: Record<string, unknown>): Promise<AlertJson> {
  return (await call<{ alert: AlertJson }>("POST", "/api/v1/alerts", body)).alert;
}

export async function deleteAlert(name: string): Promise<void> {
  await call<unknown>("DELETE", `/api/v1/alerts/${encodeURIComponent(name)}`);
}

export async function testAlert(name: string): Promise<void> {
  await call<unknown>("POST", `/api/v1/alerts/${encodeURIComponent(name)}/test`, {});
}

export async function alertHistory(name: string): Promise<AlertHistoryJson[]> {
  return (await call<{ history: AlertHistoryJson[] }>("GET", `/api/v1/alerts/${encodeURIComponent(name)}/history?limit=50`)).history;
}

export async function listHosts(): Promise<HostsJson> {
  return call<HostsJson>("GET", "/api/v1/hosts");
}
