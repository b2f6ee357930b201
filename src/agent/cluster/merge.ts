// Where each setting comes from, highest first: flags > environment > per-host etcd > cluster etcd >
// file > defaults. The layers are merged into one flag-shaped object before the one resolution
// (config.ts) validates it, so etcd and files are checked exactly as the command line is. Each
// setting remembers its layer, so a problem names it where the user wrote it ("ship.yaml:
// batch_max_entries", "etcd /logharbor/config: to", "--batch-max-ms", "LOGHARBOR_TOKEN").
import type { SettingLabel, ShipFlags } from "../config.js";
import { flagName, settingKey } from "../settings.js";

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
  /** How problems name the documents: "ship.yaml", "etcd /logharbor/config", ... */
  sources?: { file?: string; cluster?: string; host?: string };
}

const ENV_NAMES: Partial<Record<keyof ShipFlags, string>> = { token: "LOGHARBOR_TOKEN", state: "LOGHARBOR_STATE" };

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
export function mergeLayers(l: ConfigLayers): { flags: ShipFlags; env: NodeJS.ProcessEnv; label: SettingLabel } {
  const layers: Array<[Partial<ShipFlags>, (field: keyof ShipFlags) => string]> = [
    [defined(l.file), (f) => `${l.sources?.file ?? "the configuration file"}: ${settingKey(f)}`],
    [defined(l.cluster), (f) => `${l.sources?.cluster ?? "the cluster configuration"}: ${settingKey(f)}`],
    [defined(l.host), (f) => `${l.sources?.host ?? "the host configuration"}: ${settingKey(f)}`],
    [defined(envFlags(l.env)), (f) => ENV_NAMES[f] ?? flagName(f)],
    [defined(l.flags), flagName],
  ];
  const flags: ShipFlags = {};
  const origin = new Map<keyof ShipFlags, (field: keyof ShipFlags) => string>();
  for (const [values, name] of layers) {
    Object.assign(flags, values);
    for (const k of Object.keys(values) as (keyof ShipFlags)[]) origin.set(k, name);
  }
  const env: NodeJS.ProcessEnv = { ...l.env };
  if (l.logentriesToken && !env["LOGENTRIES_TOKEN"]) env["LOGENTRIES_TOKEN"] = l.logentriesToken;
  return { flags, env, label: (f) => (origin.get(f) ?? flagName)(f) };
}
