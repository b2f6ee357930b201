// Settings of the destinations that receive entries as JSON — loki+http(s)://, elasticsearch+
// http(s)://, file:///path, stdout: — from their URL, every problem collected (resolve.ts).
//   loki:           ?labels=host=_HOSTNAME,unit=_SYSTEMD_UNIT,level=PRIORITY (LABEL=FIELD, the
//                   default shown), ?max_label_values=N (100), ?line=message|json, ?tenant=ORG
//                   (X-Scope-OrgID); user:password@ for basic auth.
//   elasticsearch:  the path's last segment is the index template (default logs-%Y.%m.%d), what is
//                   before it a path prefix; user:password@ for basic auth.
//   file:           ?max_bytes=N (100 MiB), ?max_files=N (5).
import type { Destination } from "../destination.js";
import { isValidFieldName } from "../../core/journal/fields.js";
import { DEFAULT_INDEX_TEMPLATE, indexTemplateProblem } from "./elasticsearch/index-name.js";
import { DEFAULT_FILE_MAX_BYTES, DEFAULT_FILE_MAX_FILES } from "./file/sink.js";
import { DEFAULT_LOKI_LABELS, DEFAULT_MAX_LABEL_VALUES, LABEL_NAME, type LabelMap } from "./loki/labels.js";
import type { LokiLine } from "./loki/push.js";

export interface LokiDestination {
  kind: "loki";
  url: URL;
  display: string;
  labels: LabelMap;
  maxLabelValues: number;
  line: LokiLine;
  tenant: string | undefined;
  authorization: string | undefined;
}

export interface ElasticsearchDestination {
  kind: "elasticsearch";
  url: URL;
  display: string;
  indexTemplate: string;
  authorization: string | undefined;
}

export interface FileDestination {
  kind: "file";
  path: string;
  display: string;
  maxBytes: number;
  maxFiles: number;
}

export interface StdoutDestination {
  kind: "stdout";
  display: string;
}

export type JsonDestination = LokiDestination | ElasticsearchDestination | FileDestination | StdoutDestination;

function basicAuth(url: URL): string | undefined {
  if (!url.username && !url.password) return undefined;
  return "Basic " + Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64");
}

/** The URL safe to log: no credentials, no query. */
function safeDisplay(scheme: string, url: URL, path = url.pathname): string {
  return `${scheme}://${url.host}${path === "/" ? "" : path}`;
}

function query(url: URL, display: string, allowed: string[], problems: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of url.searchParams) {
    if (!allowed.includes(k)) problems.push(`--to ${display}: unknown query parameter "${k}" (accepted here: ${allowed.map((a) => `?${a}=`).join(", ") || "none"})`);
    else if (v === "") problems.push(`--to ${display}: ?${k}= is empty`);
    else out.set(k, v);
  }
  return out;
}

function int(raw: string | undefined, def: number, min: number, max: number, what: string, problems: string[]): number {
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${what}: must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    return def;
  }
  return Number(raw);
}

/** Resolves a JSON destination; undefined (problems pushed) when it has problems or is not one. */
export function resolveJsonSink(d: Destination, problems: string[]): JsonDestination | undefined {
  const before = problems.length;
  switch (d.kind) {
    case "loki": {
      const scheme = d.url.protocol === "https:" ? "loki+https" : "loki+http";
      const display = safeDisplay(scheme, d.url);
      const q = query(d.url, display, ["labels", "max_label_values", "line", "tenant"], problems);
      let labels: LabelMap = DEFAULT_LOKI_LABELS;
      const spec = q.get("labels");
      if (spec !== undefined) {
        const m: Record<string, string> = {};
        for (const pair of spec.split(",")) {
          const [label, field] = pair.split("=");
          if (label === undefined || field === undefined || !LABEL_NAME.test(label) || !isValidFieldName(field)) {
            problems.push(`--to ${display}: ?labels= expects LABEL=FIELD pairs separated by commas (e.g. host=_HOSTNAME,unit=_SYSTEMD_UNIT), got ${JSON.stringify(pair)}`);
          } else m[label] = field;
        }
        labels = m;
      }
      const maxLabelValues = int(q.get("max_label_values"), DEFAULT_MAX_LABEL_VALUES, 1, 100_000, `--to ${display}: ?max_label_values=`, problems);
      const line = q.get("line") ?? "message";
      if (line !== "message" && line !== "json") problems.push(`--to ${display}: ?line= must be message or json, got ${JSON.stringify(line)}`);
      const url = new URL(d.url.href);
      url.search = "";
      if (problems.length > before) return undefined;
      return { kind: "loki", url, display, labels, maxLabelValues, line: line as LokiLine, tenant: q.get("tenant"), authorization: basicAuth(d.url) };
    }
    case "elasticsearch": {
      const scheme = d.url.protocol === "https:" ? "elasticsearch+https" : "elasticsearch+http";
      const segments = d.url.pathname.split("/").filter((s) => s !== "");
      const indexTemplate = segments.length > 0 ? decodeURIComponent(segments.pop()!) : DEFAULT_INDEX_TEMPLATE;
      const url = new URL(d.url.href);
      url.pathname = "/" + segments.join("/");
      url.search = "";
      const display = safeDisplay(scheme, d.url, url.pathname.replace(/\/$/, "") + "/" + indexTemplate);
      query(d.url, display, [], problems);
      const p = indexTemplateProblem(indexTemplate);
      if (p !== undefined) problems.push(`--to ${display}: the index: ${p}`);
      if (problems.length > before) return undefined;
      return { kind: "elasticsearch", url, display, indexTemplate, authorization: basicAuth(d.url) };
    }
    case "file": {
      const maxBytes = int(d.maxBytes, DEFAULT_FILE_MAX_BYTES, 4096, 2 ** 50, `--to ${d.display}: ?max_bytes=`, problems);
      const maxFiles = int(d.maxFiles, DEFAULT_FILE_MAX_FILES, 0, 1000, `--to ${d.display}: ?max_files=`, problems);
      if (problems.length > before) return undefined;
      return { kind: "file", path: d.path, display: d.display, maxBytes, maxFiles };
    }
    case "stdout":
      return { kind: "stdout", display: "stdout:" };
    default:
      return undefined;
  }
}

export function describeJsonSink(d: JsonDestination): Record<string, unknown> {
  switch (d.kind) {
    case "loki":
      return { to: d.display, labels: d.labels, max_label_values: d.maxLabelValues, line: d.line, tenant: d.tenant ?? null, auth: d.authorization === undefined ? null : "***" };
    case "elasticsearch":
      return { to: d.display, index: d.indexTemplate, auth: d.authorization === undefined ? null : "***" };
    case "file":
      return { to: d.display, max_bytes: d.maxBytes, max_files: d.maxFiles };
    case "stdout":
      return { to: d.display };
  }
}
