// Where a destination's disk buffer and dead letters live in the state directory:
// STATE/buffer/<kind>-<12 hex digits of the SHA-256 of the destination's URL without its token>,
// and the same name under STATE/dead-letter/. Named after the destination, not its place in the
// list, so reordering, inserting or removing destinations never hands one destination's unsent
// entries to another; a token change (same URL) keeps its buffer, and a lane whose destination is
// gone is taken over only when unambiguous (see prepareLanes). Each buffer directory also holds
// destination.json ({"to": URL without token}) for `ship --status`.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const BUFFER_DIR = "buffer";
export const DEAD_LETTER_DIR = "dead-letter";
export const DESTINATION_FILE = "destination.json";

/** A lane's two directories in the state directory. */
export function laneDirs(stateDir: string, lane: string): { buffer: string; deadLetter: string } {
  return { buffer: join(stateDir, BUFFER_DIR, lane), deadLetter: join(stateDir, DEAD_LETTER_DIR, lane) };
}

/** The lane (directory) name of a destination: its kind and a hash of its token-free URL. */
export function laneName(kind: string, display: string): string {
  return `${kind}-${createHash("sha256").update(display).digest("hex").slice(0, 12)}`;
}

/** The destination a lane directory was made for (undefined for directories of older versions). */
export function laneDestination(stateDir: string, name: string): string | undefined {
  try {
    const j = JSON.parse(readFileSync(join(laneDirs(stateDir, name).buffer, DESTINATION_FILE), "utf8")) as { to?: unknown };
    return typeof j.to === "string" ? j.to : undefined;
  } catch {
    return undefined;
  }
}

export interface LanePlan {
  /** The lane name of each destination, in order. */
  names: string[];
  /** Lanes of destinations no longer listed, taken over by the one new destination of their kind. */
  adopted: Array<{ from: string; fromTo: string | undefined; to: string }>;
  /** Lanes of destinations no longer listed, left as they are (nothing sends what they hold). */
  orphaned: Array<{ lane: string; to: string | undefined }>;
}

/** The destination kind of a lane name: "harbor" of "harbor-3f2a9c0d1e2b", and of "0-harbor" (older versions). */
function kindOf(lane: string): string {
  const legacy = /^\d+-(.+)$/.exec(lane);
  return legacy ? legacy[1]! : lane.split("-")[0]!;
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
}

/**
 * Prepares the lane directories of the destinations, in order. A lane whose destination is no longer
 * listed is taken over when that is unambiguous: it is the only such lane of its kind and exactly one
 * listed destination of that kind has no lane yet (the destination's URL changed, or a state directory
 * of a version before several destinations, whose one lane was "0-<kind>"). Otherwise it is left on
 * disk, unsent, and reported: never handed to a destination it may not belong to.
 */
export function prepareLanes(stateDir: string, destinations: ReadonlyArray<{ kind: string; display: string }>): LanePlan {
  const names = destinations.map((d) => laneName(d.kind, d.display));
  const existing = listDirs(join(stateDir, BUFFER_DIR));
  const unlisted = existing.filter((l) => !names.includes(l));
  const plan: LanePlan = { names, adopted: [], orphaned: [] };
  const kinds = new Set(destinations.map((d) => d.kind));
  for (const kind of kinds) {
    const fresh = names.filter((n, i) => destinations[i]!.kind === kind && !existing.includes(n));
    const old = unlisted.filter((l) => kindOf(l) === kind);
    if (fresh.length === 1 && old.length === 1) {
      const [from, to] = [old[0]!, fresh[0]!];
      plan.adopted.push({ from, fromTo: laneDestination(stateDir, from), to });
      const [a, b] = [laneDirs(stateDir, from), laneDirs(stateDir, to)];
      renameSync(a.buffer, b.buffer);
      if (existsSync(a.deadLetter) && !existsSync(b.deadLetter)) renameSync(a.deadLetter, b.deadLetter);
    }
  }
  const adoptedFrom = new Set(plan.adopted.map((a) => a.from));
  for (const l of unlisted) if (!adoptedFrom.has(l)) plan.orphaned.push({ lane: l, to: laneDestination(stateDir, l) });
  destinations.forEach((d, i) => {
    const dir = laneDirs(stateDir, names[i]!).buffer;
    mkdirSync(dir, { recursive: true });
    if (laneDestination(stateDir, names[i]!) !== d.display) writeFileSync(join(dir, DESTINATION_FILE), JSON.stringify({ to: d.display }) + "\n");
  });
  return plan;
}
