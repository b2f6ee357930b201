// Builds the source a --journal spec names; `matches` are filters pushed down to it (matches.ts).
import type { JournalSpec } from "../journal-spec.js";
import { GatewaydSource } from "./gatewayd/source.js";
import type { JournalSelection } from "./journalctl/args.js";
import type { JournalMatches } from "./matches.js";
import { JournalctlSource } from "./journalctl/source.js";
import { DEFAULT_JOURNAL_DIRS } from "./files/journal-dirs.js";
import { FilesSource } from "./files/source.js";
import type { SourceOptions } from "./reconnecting-source.js";
import type { Source } from "./source.js";

export function createSource(spec: JournalSpec, selection: JournalSelection, opts: SourceOptions & { matches?: JournalMatches | undefined }): Source {
  const { matches, ...rest } = opts;
  const withMatches = matches === undefined ? rest : { ...rest, matches };
  if (spec.kind === "journalctl") return new JournalctlSource(selection, withMatches);
  if (spec.kind === "files") return new FilesSource({ ...withMatches, dirs: spec.dir === undefined ? DEFAULT_JOURNAL_DIRS : [spec.dir] });
  return new GatewaydSource("socketPath" in spec ? { socketPath: spec.socketPath } : { url: spec.url }, withMatches);
}
