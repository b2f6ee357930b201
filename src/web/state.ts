// What the page shows lives in the URL, so a view can be shared: ?view=search|logs|alerts|hosts&q=&from=&to=&log=.
// from/to: a relative time (-15m, -1h, -24h, -7d), "now", or epoch milliseconds (a zoomed or custom range).

export interface ViewState {
  view: "search" | "logs" | "alerts" | "hosts";
  q: string;
  from: string;
  to: string;
  log: string;
}

const VIEWS: ReadonlyArray<ViewState["view"]> = ["search", "logs", "alerts", "hosts"];

export const DEFAULT_STATE: ViewState = { view: "search", q: "", from: "-1h", to: "now", log: "" };

export function readState(search = location.search): ViewState {
  const p = new URLSearchParams(search);
  return {
    view: VIEWS.find((v) => v === p.get("view")) ?? "search",
    q: p.get("q") ?? DEFAULT_STATE.q,
    from: p.get("from") ?? DEFAULT_STATE.from,
    to: p.get("to") ?? DEFAULT_STATE.to,
    log: p.get("log") ?? DEFAULT_STATE.log,
  };
}

export function stateUrl(s: ViewState): string {
  const p = new URLSearchParams();
  if (s.view !== "search") p.set("view", s.view);
  if (s.q) p.set("q", s.q);
  if (s.from !== DEFAULT_STATE.from) p.set("from", s.from);
  if (s.to !== DEFAULT_STATE.to) p.set("to", s.to);
  if (s.log) p.set("log", s.log);
  const q = p.toString();
  return `${location.pathname}${q ? `?${q}` : ""}`;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A time as the URL holds it → epoch ms, resolved against `now`; undefined for an open end. */
export function resolveTime(t: string, now: number): number | undefined {
  if (t === "" || t === "all") return undefined;
  if (t === "now") return now;
  const rel = /^-(\d+)([smhdw])$/.exec(t);
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]!]!;
  if (/^\d{1,16}$/.test(t)) return Number(t);
  const d = Date.parse(t);
  return Number.isNaN(d) ? undefined : d;
}

export const PRESETS: Array<{ label: string; from: string }> = [
  { label: "Last 15 min", from: "-15m" },
  { label: "Last 1 h", from: "-1h" },
  { label: "Last 24 h", from: "-24h" },
  { label: "Last 7 d", from: "-7d" },
  { label: "All time", from: "all" },
];

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

export type Zone = "utc" | "local";
const ZONE_KEY = "logharbor.zone";

/** Times are shown in UTC (as the CLI prints them) unless the page is switched to local time. */
export function zone(): Zone {
  try {
    return localStorage.getItem(ZONE_KEY) === "local" ? "local" : "utc";
  } catch {
    return "utc";
  }
}

export function setZone(z: Zone): void {
  localStorage.setItem(ZONE_KEY, z);
}

/** The one format of the page's times, to the millisecond, in the chosen zone: 2024-01-01 10:00:00.123 */
export function formatTs(ms: number, withDate = true): string {
  const d = new Date(ms);
  const utc = zone() === "utc";
  const [Y, Mo, D, h, mi, s, msec] = utc
    ? [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()]
    : [d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()];
  const time = `${pad(h)}:${pad(mi)}:${pad(s)}.${pad(msec, 3)}`;
  return withDate ? `${Y}-${pad(Mo + 1)}-${pad(D)} ${time}` : time;
}

/** For <input type="datetime-local">. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function describeRange(from: string, to: string): string {
  const preset = PRESETS.find((p) => p.from === from);
  if (preset && (to === "now" || to === "")) return preset.label;
  const f = resolveTime(from, Date.now());
  const t = resolveTime(to, Date.now());
  return `${f === undefined ? "…" : formatTs(f).slice(0, 19)} → ${t === undefined ? "…" : to === "now" ? "now" : formatTs(t).slice(0, 19)}`;
}
