// Storage faults by name: a full disk is LH_ERR_STORAGE_FULL (507 Insufficient Storage), a damaged
// database LH_ERR_STORAGE_CORRUPT (503), whatever path the write came by (the batch API, the line
// protocols, the catalog), instead of a 500 "internal error" with the cause only in the server log.
import { isLogharborError, LogharborError } from "../../core/errors.js";

const FULL = new Set(["SQLITE_FULL", "ENOSPC", "EDQUOT"]);

/** The named storage error for `e` (a SQLite or file-system error), or undefined when it is none. */
export function storageErrorOf(e: unknown, where = "store"): LogharborError | undefined {
  if (isLogharborError(e)) return e.code === "LH_ERR_STORAGE_FULL" || e.code === "LH_ERR_STORAGE_CORRUPT" ? e : undefined;
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (typeof code !== "string") return undefined;
  if (FULL.has(code) || (code.startsWith("SQLITE_IOERR") && /disk is full|no space/i.test(message))) {
    return new LogharborError("LH_ERR_STORAGE_FULL", `${where}: cannot write: the disk is full (${message}); free space on the data directory's file system, writes resume by themselves`, { status: 507, cause: e });
  }
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") {
    return new LogharborError("LH_ERR_STORAGE_CORRUPT", `${where}: the database is damaged (${message}); stop the server, keep a copy of the data directory, and recover it (docs/architecture.md, Storage faults)`, { status: 503, cause: e });
  }
  return undefined;
}
