// The integrity check's thread (integrity.ts): opens the database read-only, runs PRAGMA quick_check,
// posts what it found. Run on its own thread so the check can be cut off at its time limit.
import Database from "better-sqlite3";
import { parentPort, workerData } from "node:worker_threads";

const { file } = workerData as { file: string };
let result: { ok: true } | { ok: false; problems: string[]; code?: string };
try {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma("quick_check(20)") as Array<{ quick_check: string }>;
    const problems = rows.map((r) => r.quick_check).filter((p) => p !== "ok");
    result = problems.length === 0 ? { ok: true } : { ok: false, problems };
  } finally {
    db.close();
  }
} catch (e) {
  const code = (e as { code?: unknown }).code;
  result = { ok: false, problems: [(e as Error).message], ...(typeof code === "string" ? { code } : {}) };
}
parentPort!.postMessage(result);
