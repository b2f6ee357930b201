// One etcd snapshot (the three keys' texts) + the layers etcd does not hold → the resolved ship
// configuration, or every problem with it. The same resolution `logharbor ship` runs on its flags.
import { resolveShipConfig, type ResolvedShip, type ShipFlags } from "../config.js";
import { parseDocument } from "./document.js";
import { mergeLayers } from "./merge.js";

/** What etcd holds for one agent; undefined = the key does not exist. */
export interface EtcdSnapshot {
  cluster: string | undefined;
  host: string | undefined;
  token: string | undefined;
}

export interface BaseLayers {
  /** Flags given on the command line (explicit ones only). */
  flags: Partial<ShipFlags>;
  env: NodeJS.ProcessEnv;
  /** The --config file's settings. */
  file?: Partial<ShipFlags>;
  /** The --config file's name, for problems. */
  fileSource?: string;
}

export function sameSnapshot(a: EtcdSnapshot | undefined, b: EtcdSnapshot | undefined): boolean {
  return a !== undefined && b !== undefined && a.cluster === b.cluster && a.host === b.host && a.token === b.token;
}

export async function evaluateSnapshot(s: EtcdSnapshot, base: BaseLayers, keys: { config: string; hostConfig: string }): Promise<ResolvedShip & { flags: ShipFlags }> {
  const cluster = s.cluster === undefined ? undefined : parseDocument(s.cluster, `etcd ${keys.config}`);
  const host = s.host === undefined ? undefined : parseDocument(s.host, `etcd ${keys.hostConfig}`);
  const docProblems = [...(cluster?.problems ?? []), ...(host?.problems ?? [])];
  const token = s.token?.trim();
  const merged = mergeLayers({
    flags: base.flags,
    env: base.env,
    ...(base.file ? { file: base.file } : {}),
    ...(cluster ? { cluster: cluster.flags } : {}),
    ...(host ? { host: host.flags } : {}),
    ...(token ? { logentriesToken: token } : {}),
    sources: { ...(base.fileSource !== undefined ? { file: base.fileSource } : {}), cluster: `etcd ${keys.config}`, host: `etcd ${keys.hostConfig}` },
  });
  // A document that is not a mapping: resolving without it would only add misleading problems.
  if (cluster?.unusable || host?.unusable) return { config: undefined, problems: docProblems, warnings: [], flags: merged.flags };
  // Otherwise every problem at once: the documents' (unknown keys, types) and the resolution's (values).
  const r = await resolveShipConfig(merged.flags, merged.env, merged.label);
  if (docProblems.length > 0) return { config: undefined, problems: [...docProblems, ...r.problems], warnings: r.warnings, flags: merged.flags };
  return { ...r, flags: merged.flags };
}
