// The body of POST /api/v1/alerts, checked, with every problem named and the accepted form:
//   {"name": "api errors", "query": "where(status>=500)", "log": "web" | ["web"],
//    "webhook": "https://hooks.example/alerts",
//    exactly one trigger:
//      "match": true [, "throttle": "1m"]
//      "threshold": 10, "window": "5m" [, "below": true]
//      "inactivity": "10m" [, "per": "host" | "unit" | "log"]
//    "renotify": "1h", "secret": "...", "payload": "json" | "logentries"}
// Durations are strings as the CLI takes them (90s, 5m, 2h, 1d) or numbers of seconds.
import { LogharborError, type ErrorCode } from "../../core/errors.js";
import { durationSeconds } from "../../core/time.js";
import { planQuery } from "../query/plan.js";
import { calculatesValue } from "./engine.js";
import type { AlertInput, InactivityPer, PayloadFormat, Trigger } from "./model.js";

export const MAX_NAME_CHARS = 100;
export const MAX_QUERY_CHARS = 10_000;
const EXAMPLE = '{"name":"api errors","query":"where(status>=500)","log":"web","webhook":"https://hooks.example/alerts","threshold":10,"window":"5m"}';

function bad(message: string): LogharborError {
  return new LogharborError("LH_ERR_ALERT", message);
}

function str(v: unknown, label: string, max: number): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw bad(`${label}: expected a string, got ${JSON.stringify(v)}`);
  if (v.length > max) throw bad(`${label}: expected at most ${max} characters, got ${v.length}`);
  return v;
}

/** A duration in seconds within [min, max]; `fallback` when absent. */
export function durationParam(v: unknown, label: string, fallback: number | undefined, min: number, max: number, code: ErrorCode = "LH_ERR_ALERT"): number {
  if (v === undefined || v === null || v === "") {
    if (fallback === undefined) throw new LogharborError(code, `${label}: required, a duration such as 30s, 5m, 1h or 1d`);
    return fallback;
  }
  const s = typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" ? durationSeconds(v) : undefined;
  if (s === undefined || s < min || s > max) {
    throw new LogharborError(code, `${label}: expected a duration from ${min} s to ${max / 86400} d such as 30s, 5m, 1h or 1d, got ${JSON.stringify(v)}`);
  }
  return s;
}

function webhookOf(v: unknown): string {
  const s = str(v, "webhook", 2048);
  if (s === undefined || s.trim() === "") throw bad("webhook: required, the http(s) URL notifications are POSTed to");
  let u: URL;
  try {
    u = new URL(s.trim());
  } catch {
    throw bad(`webhook: expected an http(s) URL such as https://hooks.example/alerts, got ${JSON.stringify(s.slice(0, 100))}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw bad(`webhook: expected an http or https URL, got a ${u.protocol} URL`);
  return u.toString();
}

function triggerOf(b: Record<string, unknown>, query: string): Trigger {
  const given = (["match", "threshold", "inactivity"] as const).filter((k) => b[k] !== undefined && b[k] !== null && b[k] !== false);
  if (given.length !== 1) {
    throw bad(`trigger: expected exactly one of "match": true, "threshold": N with "window", or "inactivity": DURATION, got ${given.length === 0 ? "none" : given.join(" and ")}`);
  }
  const plan = planQuery(query);
  const kind = given[0]!;
  if (kind !== "threshold" && plan.stats) {
    throw bad(`query: a ${kind} alert takes a where() query; groupby(), calculate() and timeslice() belong to threshold alerts`);
  }
  if (plan.stats?.timeslice) throw bad("query: timeslice() has no meaning in an alert (the window is set by \"window\")");
  if (kind === "match") return { kind, throttleS: durationParam(b["throttle"], "throttle", 60, 1, 86400) };
  if (kind === "inactivity") {
    const per = b["per"] ?? "host";
    if (per !== "host" && per !== "unit" && per !== "log") throw bad(`per: expected host, unit or log, got ${JSON.stringify(per)}`);
    return { kind, forS: durationParam(b["inactivity"], "inactivity", undefined, 1, 30 * 86400), per: per as InactivityPer };
  }
  const n = b["threshold"];
  if (typeof n !== "number" || !Number.isFinite(n) || (!calculatesValue(plan) && (n < 0 || !Number.isInteger(n)))) {
    throw bad(`threshold: expected ${calculatesValue(plan) ? "a number" : "a count (an integer >= 0)"}, got ${JSON.stringify(n)}`);
  }
  const below = b["below"] ?? false;
  if (typeof below !== "boolean") throw bad(`below: expected true or false, got ${JSON.stringify(below)}`);
  return { kind, count: n, windowS: durationParam(b["window"], "window", undefined, 1, 7 * 86400), below };
}

/** `logExists` names an unknown log with a 404. */
export function alertInput(body: unknown, logExists: (name: string) => boolean): AlertInput {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw bad(`body: expected a JSON object such as ${EXAMPLE}`);
  }
  const b = body as Record<string, unknown>;
  const name = (str(b["name"], "name", MAX_NAME_CHARS) ?? "").trim();
  if (name === "" || /[\u0000-\u001f\u007f]/.test(name)) {
    throw bad(`name: expected 1 to ${MAX_NAME_CHARS} characters without control characters, got ${JSON.stringify(b["name"] ?? null)}`);
  }
  const query = (str(b["query"] ?? b["q"], "query", MAX_QUERY_CHARS) ?? "").trim();
  const rawLog = b["log"];
  const logs = (Array.isArray(rawLog) ? rawLog : rawLog === undefined || rawLog === null ? [] : typeof rawLog === "string" ? rawLog.split(",") : [rawLog])
    .map((n) => {
      if (typeof n !== "string") throw bad(`log: expected log names, got ${JSON.stringify(n)}`);
      return n.trim();
    })
    .filter((n) => n !== "");
  for (const l of logs) {
    if (!logExists(l)) throw new LogharborError("LH_ERR_LOG_NOT_FOUND", `log: no log named "${l.slice(0, 80)}"; \`logharbor logs list\` shows the logs`, { status: 404 });
  }
  const trigger = triggerOf(b, query);
  const payload = b["payload"] ?? "json";
  if (payload !== "json" && payload !== "logentries") throw bad(`payload: expected json or logentries, got ${JSON.stringify(payload)}`);
  return {
    name, query, logs: [...new Set(logs)], trigger,
    renotifyS: durationParam(b["renotify"], "renotify", 0, 0, 30 * 86400),
    webhook: webhookOf(b["webhook"]),
    secret: str(b["secret"], "secret", 1024) ?? "",
    payload: payload as PayloadFormat,
  };
}
