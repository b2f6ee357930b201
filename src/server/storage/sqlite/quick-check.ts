// PRAGMA quick_check over a database file, opened read-only: what integrity.ts runs at start,
// in this thread for a small database, on a thread of its own (integrity-worker.ts) for a big one.
import Database from "better-sqlite3";

export type QuickCheckResult = { ok: true } | { ok: false; problems: string[]; code?: string };

export function quickCheck(file: string): QuickCheckResult {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const rows = db.pragma("quick_check(20)") as Array<{ quick_check: string }>;
      const problems = rows.map((r) => r.quick_check).filter((p) => p !== "ok");
      return problems.length === 0 ? { ok: true } : { ok: false, problems };
    } finally {
      db.close();
    }
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return { ok: false, problems: [(e as Error).message], ...(typeof code === "string" ? { code } : {}) };
  }
}
