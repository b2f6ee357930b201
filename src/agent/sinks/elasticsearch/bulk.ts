// Entries → _bulk request lines, and the _bulk answer → what happened to each item.
// Each entry is a `create` with an _id from its journal identity (__SEQNUM_ID + __SEQNUM, else
// _BOOT_ID + __MONOTONIC_TIMESTAMP), so an entry sent twice (a retry, a replay after a crash) is
// refused by Elasticsearch with 409 and counted as a duplicate rather than stored twice; `create`
// is also what data streams require. The document: @timestamp, message, host.name, and every
// journal field under `journal` (as `journalctl -o json` names them).
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { FIELD_BOOT_ID, FIELD_HOSTNAME, FIELD_MESSAGE, FIELD_MONOTONIC_TIMESTAMP, FIELD_SEQNUM, FIELD_SEQNUM_ID } from "../../../core/journal/fields.js";
import { entryTimeUs, entryToJson } from "../common/entry-json.js";
import { indexName } from "./index-name.js";

export interface BulkItem {
  /** The action and document lines, each ending in "\n". */
  lines: string;
  index: string;
  id: string | undefined;
}

export function entryId(e: ExportEntry): string | undefined {
  const sid = e.get(FIELD_SEQNUM_ID);
  const seq = e.get(FIELD_SEQNUM);
  if (sid !== undefined && seq !== undefined) return `${sid}.${seq}`;
  const boot = e.get(FIELD_BOOT_ID);
  const mono = e.get(FIELD_MONOTONIC_TIMESTAMP);
  if (boot !== undefined && mono !== undefined) return `${boot}.m${mono}`;
  return undefined;
}

export function bulkItem(e: ExportEntry, template: string, nowUs: number): BulkItem {
  const us = entryTimeUs(e, nowUs);
  const index = indexName(template, us);
  const id = entryId(e);
  const action = { create: id === undefined ? { _index: index } : { _index: index, _id: id } };
  const host = e.get(FIELD_HOSTNAME);
  const doc = {
    "@timestamp": new Date(Math.floor(us / 1000)).toISOString().replace("Z", `${String(us % 1000).padStart(3, "0")}Z`),
    message: e.get(FIELD_MESSAGE) ?? "",
    ...(host !== undefined ? { host: { name: host } } : {}),
    journal: entryToJson(e),
  };
  return { lines: JSON.stringify(action) + "\n" + JSON.stringify(doc) + "\n", index, id };
}

export type ItemOutcome = "created" | "duplicate" | "retry" | "rejected";

export interface ItemResult {
  outcome: ItemOutcome;
  status: number;
  error?: string;
}

/** The outcome of each item of a _bulk answer (undefined when the answer is not one). */
export function bulkResults(body: string, count: number): ItemResult[] | undefined {
  let j: { errors?: boolean; items?: Record<string, { status?: number; error?: { type?: string; reason?: string } }>[] };
  try {
    j = JSON.parse(body) as typeof j;
  } catch {
    return undefined;
  }
  if (!Array.isArray(j.items) || j.items.length !== count) return undefined;
  return j.items.map((item) => {
    const r = Object.values(item)[0] ?? {};
    const status = typeof r.status === "number" ? r.status : 0;
    const error = r.error ? `${r.error.type ?? "error"}: ${r.error.reason ?? ""}`.trim() : undefined;
    const outcome: ItemOutcome = status >= 200 && status < 300 ? "created" : status === 409 ? "duplicate" : status === 429 || status >= 500 ? "retry" : "rejected";
    return { outcome, status, ...(error !== undefined ? { error } : {}) };
  });
}
