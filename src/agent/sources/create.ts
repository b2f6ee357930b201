// Builds the source a --journal spec names.
import type { JournalSpec } from "../journal-spec.js";
import { GatewaydSource } from "./gatewayd/source.js";
import type { JournalSelection } from "./journalctl/args.js";
import { JournalctlSource } from "./journalctl/source.js";
import type { SourceOptions } from "./reconnecting-source.js";
import type { Source } from "./source.js";

export function createSource(spec: JournalSpec, selection: JournalSelection, opts: SourceOptions): Source {
  if (spec.kind === "journalctl") return new JournalctlSource(selection, opts);
  return new GatewaydSource("socketPath" in spec ? { socketPath: spec.socketPath } : { url: spec.url }, opts);
}
