// The agents' own reports, as they arrive with their batches (core/wire/agent-report.ts): the latest
// of each host is kept in memory and written to the catalog at most every SAVE_EVERY_MS per host, so
// a busy agent sending many batches a second costs one small write every few seconds.
import type { AgentReportWire } from "../../core/wire/agent-report.js";
import type { Store } from "../storage/store.js";

export const SAVE_EVERY_MS = 5000;

export interface AgentReportSeen {
  report: AgentReportWire;
  atMs: number;
}

export class AgentReports {
  private readonly latest = new Map<string, AgentReportSeen & { savedMs: number }>();

  constructor(private readonly store: Store, private readonly now: () => number = Date.now) {}

  record(r: AgentReportWire): void {
    const at = this.now();
    const cur = this.latest.get(r.hostname);
    const savedMs = cur?.savedMs ?? 0;
    const entry = { report: r, atMs: at, savedMs };
    this.latest.set(r.hostname, entry);
    if (at - savedMs >= SAVE_EVERY_MS) {
      entry.savedMs = at;
      this.store.saveAgentReport(r.hostname, JSON.stringify(r), at);
    }
  }

  /** Every host's latest report: those seen since the start, else the saved ones. */
  all(): Map<string, AgentReportSeen> {
    const out = new Map<string, AgentReportSeen>();
    for (const r of this.store.agentReports()) {
      try {
        out.set(r.host, { report: JSON.parse(r.report) as AgentReportWire, atMs: r.atMs });
      } catch {
        // an unreadable row is skipped
      }
    }
    for (const [h, r] of this.latest) out.set(h, { report: r.report, atMs: r.atMs });
    return out;
  }

  forget(host: string): boolean {
    const had = this.latest.delete(host);
    return this.store.deleteAgentReport(host) || had;
  }

  /** Writes what was not saved yet (at shutdown). */
  flush(): void {
    for (const [h, r] of this.latest) {
      if (r.savedMs < r.atMs) {
        r.savedMs = r.atMs;
        this.store.saveAgentReport(h, JSON.stringify(r.report), r.atMs);
      }
    }
  }
}
