// The report an agent sends with its batches (header X-Logharbor-Agent: base64url of a small JSON
// object), so the server's fleet view shows each agent's version, lag behind its journal, buffered
// bytes and last error without any other channel. Both sides use this one codec; the server checks
// every field and ignores a report it cannot read (the batch is stored all the same).

export const AGENT_REPORT_HEADER = "x-logharbor-agent";
/** Largest header value taken (base64url characters). */
export const MAX_AGENT_REPORT_CHARS = 4096;

export interface AgentReportWire {
  hostname: string;
  version: string;
  /** Seconds between the journal's newest entry and the oldest entry not acknowledged yet (0: caught up). */
  lag_seconds: number | null;
  /** Bytes in the agent's disk buffers not acknowledged yet. */
  buffer_bytes: number;
  /** The newest delivery or configuration error, or null. */
  last_error: string | null;
  last_error_at: string | null;
  /** What journald's own sealing proves of the journal read, when the agent checked. */
  journal_sealed?: boolean | null;
}

export function encodeAgentReport(r: AgentReportWire): string {
  return Buffer.from(JSON.stringify(r), "utf8").toString("base64url");
}

const str = (v: unknown, max: number): string | null => (typeof v === "string" ? v.slice(0, max) : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null);

/** The report, or undefined when the header is absent or unreadable. */
export function decodeAgentReport(header: string | string[] | undefined): AgentReportWire | undefined {
  const h = Array.isArray(header) ? header[0] : header;
  if (h === undefined || h.length === 0 || h.length > MAX_AGENT_REPORT_CHARS || !/^[A-Za-z0-9_-]+$/.test(h)) return undefined;
  let o: unknown;
  try {
    o = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (o === null || typeof o !== "object") return undefined;
  const r = o as Record<string, unknown>;
  const hostname = str(r["hostname"], 255);
  if (!hostname || /[\u0000-\u001f\u007f]/.test(hostname)) return undefined;
  return {
    hostname,
    version: str(r["version"], 64) ?? "?",
    lag_seconds: num(r["lag_seconds"]),
    buffer_bytes: num(r["buffer_bytes"]) ?? 0,
    last_error: str(r["last_error"], 500),
    last_error_at: str(r["last_error_at"], 40),
    ...(typeof r["journal_sealed"] === "boolean" ? { journal_sealed: r["journal_sealed"] } : {}),
  };
}
