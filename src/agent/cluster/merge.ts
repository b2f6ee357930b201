// Where each setting comes from, highest first: flags > environment > per-host etcd > cluster etcd >
// file > defaults. The layers are merged into one flag-shaped object before the one resolution
// (config.ts) validates it, so etcd and files are checked exactly as the command line is.
import type { ShipFlags } from "../config.js";

export interface ConfigLayers {
  /** Flags given on the command line (not commander's defaults). */
  flags: Partial<ShipFlags>;
  env: NodeJS.ProcessEnv;
  /** <prefix>/hosts/<hostname>/config */
  host?: Partial<ShipFlags>;
  /** <prefix>/config */
  cluster?: Partial<ShipFlags>;
  /** --config FILE */
  file?: Partial<ShipFlags>;
  /** /logentries.com/token: as LOGENTRIES_TOKEN, below the real environment. */
  logentriesToken?: string;
}

/** The settings the environment gives (config.ts reads these names). */
export function envFlags(env: NodeJS.ProcessEnv): Partial<ShipFlags> {
  const out: Partial<ShipFlags> = {};
  if (env["LOGHARBOR_TOKEN"]) out.token = env["LOGHARBOR_TOKEN"];
  if (env["LOGHARBOR_STATE"]) out.state = env["LOGHARBOR_STATE"];
  return out;
}

function defined(o: Partial<ShipFlags> | undefined): Partial<ShipFlags> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<ShipFlags>;
}

/** The flags and the environment to resolve: each layer replaces what the lower ones set (lists too). */
export function mergeLayers(l: ConfigLayers): { flags: ShipFlags; env: NodeJS.ProcessEnv } {
  const flags: ShipFlags = { ...defined(l.file), ...defined(l.cluster), ...defined(l.host), ...defined(envFlags(l.env)), ...defined(l.flags) };
  const env: NodeJS.ProcessEnv = { ...l.env };
  if (l.logentriesToken && !env["LOGENTRIES_TOKEN"]) env["LOGENTRIES_TOKEN"] = l.logentriesToken;
  return { flags, env };
}
