// What `logharbor cluster set-config` checks before writing: the document's keys and types, then the
// agent's own resolution (config.ts) of its settings — so etcd never receives what every agent would
// reject. Settings that name paths on each host (journal_dir, state, ...) are checked for type only,
// and a destination's token may come from elsewhere (another key, the agents' environment).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveShipConfig, type ShipFlags } from "../config.js";
import { settingKey } from "../settings.js";
import { DOCUMENT_KEYS, HOST_LOCAL_KEYS, parseDocument } from "./document.js";

// Shaped like a Logentries token (a UUID), so it passes where any token would.
const PLACEHOLDER_TOKEN = "00000000-0000-4000-8000-000000000000";

export async function validateDocument(text: string, source: string): Promise<string[]> {
  const parsed = parseDocument(text, source);
  if (parsed.unusable) return parsed.problems;
  const flags: ShipFlags = { ...parsed.flags };
  for (const key of HOST_LOCAL_KEYS) delete flags[DOCUMENT_KEYS[key]!.flag];
  const state = await mkdtemp(join(tmpdir(), "logharbor-validate-"));
  try {
    flags.state = state;
    const env: NodeJS.ProcessEnv = { LOGENTRIES_TOKEN: PLACEHOLDER_TOKEN };
    if (flags.token === undefined) env["LOGHARBOR_TOKEN"] = PLACEHOLDER_TOKEN;
    const r = await resolveShipConfig(flags, env, (f) => `${source}: ${settingKey(f)}`);
    // Problems that name a setting name it in the document already; the others get the document's name.
    return [...parsed.problems, ...r.problems.map((p) => (p.startsWith(`${source}: `) ? p : `${source}: ${p}`))];
  } finally {
    await rm(state, { recursive: true, force: true });
  }
}
