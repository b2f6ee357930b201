// An Elasticsearch bulk body (NDJSON): action lines, each `index` or `create` followed by its
// document line. Parsed whole before anything is stored, so a malformed body stores nothing:
//   - an action line that is not JSON, not one of index/create/update/delete, or an index/create
//     without a document line after it: the whole request is refused (400, naming the line);
//   - a document that is not a JSON object, and update/delete (logs are appended, never changed):
//     that item fails (status 400 in its result), the others are stored, as Elasticsearch does.
import { LogharborError } from "../../../core/errors.js";

export type BulkOp = "index" | "create" | "update" | "delete";

export interface BulkItem {
  op: BulkOp;
  /** The action's _index, if any. */
  index: string | undefined;
  id: string | undefined;
  /** The document (index/create), or undefined when the item failed. */
  doc: Record<string, unknown> | undefined;
  /** The document line as sent. */
  raw: string;
  /** Why the item failed: the error of its result. */
  error?: { type: string; reason: string };
}

const OPS = new Set<BulkOp>(["index", "create", "update", "delete"]);

function refused(line: number, why: string): LogharborError {
  return new LogharborError("LH_ERR_BATCH", `elasticsearch: bulk line ${line}: ${why}; a bulk body is NDJSON: an action line ({"create":{}} or {"index":{}}) then its document line, each ending in a newline; nothing was stored`);
}

export function parseBulk(body: Buffer): BulkItem[] {
  const text = body.toString("utf8");
  const items: BulkItem[] = [];
  let pos = 0;
  let lineNo = 0;
  const nextLine = (): string | undefined => {
    while (pos < text.length) {
      const nl = text.indexOf("\n", pos);
      const end = nl < 0 ? text.length : nl;
      let line = text.slice(pos, end);
      pos = end + 1;
      lineNo++;
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (line.trim() !== "") return line;
    }
    return undefined;
  };
  for (let line = nextLine(); line !== undefined; line = nextLine()) {
    const at = lineNo;
    let action: unknown;
    try {
      action = JSON.parse(line);
    } catch (e) {
      throw refused(at, `the action line is not JSON (${(e as Error).message})`);
    }
    const keys = action !== null && typeof action === "object" && !Array.isArray(action) ? Object.keys(action) : [];
    if (keys.length !== 1 || !OPS.has(keys[0] as BulkOp)) {
      throw refused(at, `expected an action {"index":{...}}, {"create":{...}}, {"update":{...}} or {"delete":{...}}, got ${line.length > 100 ? line.slice(0, 100) + "..." : line}`);
    }
    const op = keys[0] as BulkOp;
    const meta = (action as Record<string, unknown>)[op];
    const m = meta !== null && typeof meta === "object" ? (meta as Record<string, unknown>) : {};
    const index = typeof m["_index"] === "string" ? m["_index"] : undefined;
    const id = typeof m["_id"] === "string" || typeof m["_id"] === "number" ? String(m["_id"]) : undefined;
    if (op === "delete") {
      items.push({ op, index, id, doc: undefined, raw: "", error: { type: "illegal_argument_exception", reason: "delete is not supported: logharbor keeps logs as they were sent (retention removes them)" } });
      continue;
    }
    const raw = nextLine();
    if (raw === undefined) throw refused(at, `the ${op} action has no document line after it`);
    if (op === "update") {
      items.push({ op, index, id, doc: undefined, raw, error: { type: "illegal_argument_exception", reason: "update is not supported: logharbor keeps logs as they were sent; send them with index or create" } });
      continue;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch (e) {
      items.push({ op, index, id, doc: undefined, raw, error: { type: "document_parsing_exception", reason: `line ${lineNo}: the document is not JSON (${(e as Error).message})` } });
      continue;
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
      items.push({ op, index, id, doc: undefined, raw, error: { type: "document_parsing_exception", reason: `line ${lineNo}: the document must be a JSON object, got ${Array.isArray(doc) ? "an array" : doc === null ? "null" : typeof doc}` } });
      continue;
    }
    items.push({ op, index, id, doc: doc as Record<string, unknown>, raw });
  }
  return items;
}
