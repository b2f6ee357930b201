// Loads vendored .proto files (kept as text beside the code that decodes them, e.g.
// src/server/ingest/otlp/proto/) with protobufjs. The files are found from the repository root, so
// the server finds them both when it runs from dist/ and from sources.
import protobuf from "protobufjs";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function repoRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, "package.json"))) {
    const up = dirname(d);
    if (up === d) throw new Error("cannot find the repository root (package.json) for the .proto files");
    d = up;
  }
  return d;
}

/** A protobufjs Root of these files, relative to the repository root (imports resolve beside each). */
export function loadProtoFiles(files: readonly string[]): protobuf.Root {
  const root = repoRoot();
  return new protobuf.Root().loadSync(files.map((f) => join(root, f)));
}
