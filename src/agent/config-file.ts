// `logharbor ship --config FILE`: the same document as the etcd keys (YAML or JSON, the settings of
// settings.ts plus `transforms`), read from a file and merged below the flags and the environment:
// flags > environment > file > defaults (with --etcd the etcd keys come between the environment and
// the file: cluster/merge.ts). Every problem is reported at once, each named by its place in the
// file ("ship.yaml: batch_max_entries: must be ...").
import { readFile } from "node:fs/promises";
import { parseDocument } from "./cluster/document.js";
import { mergeLayers } from "./cluster/merge.js";
import { resolveShipConfig, type ResolvedShip, type ShipFlags } from "./config.js";

export interface ConfigFile {
  path: string;
  /** The file's settings (what could be read of it). */
  flags: Partial<ShipFlags>;
  /** Problems with the file itself: unreadable, not YAML/JSON, unknown keys, wrong types. */
  problems: string[];
  /** Nothing of it could be read (unreadable, not YAML/JSON, not a mapping). */
  unusable: boolean;
}

/** Reads and parses the file; never throws (an unreadable file is a problem). */
export async function readConfigFile(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === "ENOENT" ? "no such file" : err.code === "EACCES" ? "permission denied" : err.code === "EISDIR" ? "it is a directory" : err.message;
    return { path, flags: {}, problems: [`${path}: expected a readable YAML or JSON configuration file, got ${why}`], unusable: true };
  }
  const d = parseDocument(text, path);
  return { path, flags: d.flags, problems: d.problems, unusable: d.unusable };
}

/** The settings of the flags, the environment and the file, resolved; the file's own problems come first. */
export async function resolveWithFile(flags: Partial<ShipFlags>, env: NodeJS.ProcessEnv, file: ConfigFile): Promise<ResolvedShip> {
  // Resolving without the file would only add misleading problems (no destination, ...).
  if (file.unusable) return { config: undefined, problems: file.problems, warnings: [] };
  const merged = mergeLayers({ flags, env, file: file.flags, sources: { file: file.path } });
  const r = await resolveShipConfig(merged.flags, merged.env, merged.label);
  if (file.problems.length === 0) return r;
  return { config: undefined, problems: [...file.problems, ...r.problems], warnings: r.warnings };
}
