// The check at start: PRAGMA quick_check over the database, on a thread of its own and cut off after
// `timeoutMs` (a big database may take longer; the server then starts and says it was not checked).
// A damaged database stops the start with LH_ERR_STORAGE_CORRUPT saying what to do; a disk too full
// to open it with LH_ERR_STORAGE_FULL.
import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { LogharborError } from "../../../core/errors.js";
import { workerUrl } from "../../../core/threads/worker-url.js";
import { storageErrorOf } from "../storage-errors.js";

export const DEFAULT_INTEGRITY_CHECK_MS = 10_000;

export type IntegrityResult = "ok" | "timed-out" | "new";

function damaged(file: string, problems: string[]): LogharborError {
  return new LogharborError(
    "LH_ERR_STORAGE_CORRUPT",
    `${file}: the database is damaged (quick_check: ${problems.slice(0, 3).join("; ").slice(0, 300)}); the server will not start on it. ` +
      `Keep a copy of the data directory, then recover what is readable: \`sqlite3 ${file} .recover | sqlite3 recovered.db\` and move recovered.db to ${file} ` +
      "(delete its -wal and -shm files), or restore a backup",
    { status: 503 },
  );
}

/** Resolves when the database is sound (or not checked in time, or new); rejects with the named fault. */
export async function checkIntegrity(file: string, timeoutMs = DEFAULT_INTEGRITY_CHECK_MS): Promise<IntegrityResult> {
  if (!existsSync(file)) return "new";
  const worker = new Worker(workerUrl(import.meta.url, "integrity-worker"), { workerData: { file } });
  try {
    const r = await new Promise<{ ok: true } | { ok: false; problems: string[]; code?: string } | "timed-out">((resolve, reject) => {
      const t = setTimeout(() => resolve("timed-out"), timeoutMs);
      worker.once("message", (m) => {
        clearTimeout(t);
        resolve(m as { ok: true });
      });
      worker.once("error", (e) => {
        clearTimeout(t);
        reject(e);
      });
    });
    if (r === "timed-out") return r;
    if (r.ok) return "ok";
    const named = storageErrorOf(Object.assign(new Error(r.problems[0] ?? "unknown"), r.code !== undefined ? { code: r.code } : {}), file);
    if (named?.code === "LH_ERR_STORAGE_FULL") throw named;
    if (named !== undefined || r.code === undefined) throw damaged(file, r.problems);
    // Another failure to open (permissions, say): the open that follows reports it.
    return "ok";
  } finally {
    // Not awaited: a check cut off is inside SQLite, which ends the thread only once it returns;
    // the read-only check may finish in the background meanwhile.
    worker.unref();
    void worker.terminate();
  }
}
