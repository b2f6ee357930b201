// The last good etcd snapshot, kept in the state directory (STATE/cluster-config.json, mode 0600:
// it may hold a token), so an agent that starts while etcd is unreachable runs what it ran last.
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { EtcdSnapshot } from "./evaluate.js";

export const CLUSTER_CACHE_FILE = "cluster-config.json";

export function cachePath(stateDir: string): string {
  return join(stateDir, CLUSTER_CACHE_FILE);
}

export async function saveSnapshot(stateDir: string, s: EtcdSnapshot): Promise<void> {
  const path = cachePath(stateDir);
  const tmp = `${path}.${process.pid}.tmp`;
  const body = { saved_at: new Date().toISOString(), cluster: s.cluster ?? null, host: s.host ?? null, token: s.token ?? null };
  await writeFile(tmp, JSON.stringify(body) + "\n", { mode: 0o600 });
  await rename(tmp, path);
}

/** The cached snapshot; undefined when there is none; a string when the file is unreadable. */
export async function loadSnapshot(stateDir: string): Promise<EtcdSnapshot | string | undefined> {
  let text: string;
  try {
    text = await readFile(cachePath(stateDir), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return `${cachePath(stateDir)}: ${(e as Error).message}`;
  }
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
    return { cluster: str(o["cluster"]), host: str(o["host"]), token: str(o["token"]) };
  } catch {
    return `${cachePath(stateDir)}: expected the JSON this agent wrote, got something else (ignored)`;
  }
}
