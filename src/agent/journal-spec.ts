// The --journal value: where the agent reads the journal from.
//   gatewayd:/run/journald.sock        systemd-journal-gatewayd on a unix socket
//   gatewayd:http://host:19531         systemd-journal-gatewayd over HTTP(S)
//   journalctl                         a journalctl child process
//   files                              the journal files themselves (/run/log/journal, /var/log/journal)
//   files:/path/to/dir                 the journal files in that directory (as journalctl --directory)
import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { LogharborError } from "../core/errors.js";

export const DEFAULT_GATEWAYD_SOCKET = "/run/journald.sock";
const ACCEPTED = "gatewayd:/path/to/socket, gatewayd:http://host:port, journalctl, files or files:/path/to/dir";

export type JournalSpec =
  | { kind: "gatewayd"; socketPath: string }
  | { kind: "gatewayd"; url: URL }
  | { kind: "journalctl" }
  | { kind: "files"; dir: string | undefined };

function bad(input: string, why: string): never {
  throw new LogharborError("LH_ERR_JOURNAL_SPEC", `--journal: expected ${ACCEPTED}; got ${JSON.stringify(input)}${why ? ` (${why})` : ""}`);
}

export function parseJournalSpec(input: string): JournalSpec {
  const s = input.trim();
  if (s === "journalctl") return { kind: "journalctl" };
  if (s === "files") return { kind: "files", dir: undefined };
  if (s.startsWith("files:")) {
    const dir = s.slice("files:".length);
    if (!dir.startsWith("/")) bad(input, "after files: give an absolute directory path");
    return { kind: "files", dir: dir.length > 1 ? dir.replace(/\/+$/, "") : dir };
  }
  if (!s.startsWith("gatewayd:")) bad(input, "");
  const rest = s.slice("gatewayd:".length);
  if (rest.startsWith("/")) {
    if (rest.length < 2 || rest.endsWith("/")) bad(input, "the socket path must name a file");
    return { kind: "gatewayd", socketPath: rest };
  }
  if (/^https?:\/\//i.test(rest)) {
    let url: URL;
    try {
      url = new URL(rest);
    } catch {
      bad(input, "not a valid URL");
    }
    if (!url.hostname) bad(input, "the URL has no host");
    if (url.pathname !== "/" || url.search || url.hash) bad(input, "give only scheme, host and port; the agent adds /entries");
    if (url.username || url.password) bad(input, "credentials in the URL are not supported");
    return { kind: "gatewayd", url };
  }
  bad(input, rest === "" ? "nothing after gatewayd:" : "after gatewayd: give an absolute socket path or an http(s):// URL");
}

/** Whether an executable named `name` is on the PATH. */
function onPath(name: string, path = process.env["PATH"] ?? ""): boolean {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not there
    }
  }
  return false;
}

/**
 * The journal to read when --journal is not given: gatewayd's socket if it exists, else journalctl
 * if it is installed, else the journal files themselves (an image without systemd, e.g. ours).
 */
export function defaultJournalSpec(opts: { preferJournalctl?: boolean } = {}): JournalSpec {
  if (!opts.preferJournalctl && existsSync(DEFAULT_GATEWAYD_SOCKET)) return { kind: "gatewayd", socketPath: DEFAULT_GATEWAYD_SOCKET };
  if (opts.preferJournalctl || onPath("journalctl")) return { kind: "journalctl" };
  return { kind: "files", dir: undefined };
}

export function formatJournalSpec(spec: JournalSpec): string {
  if (spec.kind === "journalctl") return "journalctl";
  if (spec.kind === "files") return spec.dir === undefined ? "files" : `files:${spec.dir}`;
  return "socketPath" in spec ? `gatewayd:${spec.socketPath}` : `gatewayd:${spec.url.origin}`;
}
