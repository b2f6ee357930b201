// The check at start: PRAGMA quick_check over the database — in this thread for a small one (fast,
// and no thread to start), else on a thread of its own cut off after `timeoutMs` (a big database may
// take longer; the server then starts and says it was not checked).
// A damaged database stops the start with LH_ERR_STORAGE_CORRUPT saying what to do; a disk too full
// to open it with LH_ERR_STORAGE_FULL.
import { existsSync, statSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { LogharborError } from "../../../core/errors.js";
import { workerUrl } from "../../../core/threads/worker-url.js";
import { storageErrorOf } from "../storage-errors.js";
import { quickCheck, type QuickCheckResult } from "./quick-check.js";

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

/** Up to this size the check runs in this thread (a few ms per MiB); a bigger database gets a thread with a time limit. */
const IN_THREAD_MAX_BYTES = 16 * 1024 * 1024;

/** Resolves when the database is sound (or not checked in time, or new); rejects with the named fault. */
export async function checkIntegrity(file: string, timeoutMs = DEFAULT_INTEGRITY_CHECK_MS): Promise<IntegrityResult> {
  if (!existsSync(file)) return "new";
  if (statSync(file).size <= IN_THREAD_MAX_BYTES && timeoutMs > 0) return verdict(file, quickCheck(file));
  const worker = new Worker(workerUrl(import.meta.url, "integrity-worker"), { workerData: { file } });
  try {
    const r = await new Promise<QuickCheckResult | "timed-out">((resolve, reject) => {
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
    return verdict(file, r);
  } finally {
    // Not awaited: a check cut off is inside SQLite, which ends the thread only once it returns;
    // the read-only check may finish in the background meanwhile.
    worker.unref();
    void worker.terminate();
  }
}

function verdict(file: string, r: QuickCheckResult): IntegrityResult {
  if (r.ok) return "ok";
  const named = storageErrorOf(Object.assign(new Error(r.problems[0] ?? "unknown"), r.code !== undefined ? { code: r.code } : {}), file);
  if (named?.code === "LH_ERR_STORAGE_FULL") throw named;
  if (named !== undefined || r.code === undefined) throw damaged(file, r.problems);
  // Another failure to open (permissions, say): the open that follows reports it.
  return "ok";
}
