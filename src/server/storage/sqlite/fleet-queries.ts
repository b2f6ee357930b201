// What the fleet view and the inactivity alerts read of the store, cheaply at any volume:
// - lastEntries(host|unit): for each host (unit), the time of its most recently stored entry — the
//   event with the largest id in the minute rollup (one index lookup per host: FLEET_MIGRATION's
//   indexes), read by its primary key; a host whose newest entry retention deleted falls back to
//   the end of that minute. lastEntries(log): each log's newest entry time, by the (log, ts) index.
// - hostCounts(since): entries and errors (priority <= 3) per host since a time, from the rollup.
// - the agents' reports (agent_reports: the latest of each host's agent, as it sent it).
import type Database from "better-sqlite3";
import { MINUTE_US, minuteOf } from "./minute-rollup.js";

export const FLEET_MIGRATION = `
  CREATE INDEX event_minutes_host_last ON event_minutes(host_key, max_id);
  CREATE INDEX event_minutes_unit_last ON event_minutes(unit_key, max_id);
  CREATE TABLE agent_reports (host TEXT PRIMARY KEY, report TEXT NOT NULL, at INTEGER NOT NULL);
`;

export interface LastEntry {
  key: string;
  lastUs: number;
}

export class FleetQueries {
  private readonly st;

  constructor(db: Database.Database) {
    const last = (table: "hosts" | "units", col: "host_key" | "unit_key") =>
      db.prepare<[], { key: string; ts: number | null; minute: number | null }>(`
        SELECT d.name AS key,
          (SELECT e.ts FROM events e WHERE e.id = (SELECT max(m.max_id) FROM event_minutes m WHERE m.${col} = d.id)) AS ts,
          (SELECT m.minute FROM event_minutes m WHERE m.${col} = d.id ORDER BY m.max_id DESC LIMIT 1) AS minute
        FROM ${table} d`);
    this.st = {
      host: last("hosts", "host_key"),
      unit: last("units", "unit_key"),
      log: db.prepare<[], { key: string; ts: number | null }>("SELECT l.name AS key, (SELECT max(e.ts) FROM events e WHERE e.log = l.seq) AS ts FROM logs l"),
      counts: db.prepare<[number], { host: string; n: number; errors: number }>(`
        SELECT h.name AS host, sum(m.n) AS n, sum(CASE WHEN m.priority_key BETWEEN 0 AND 3 THEN m.n ELSE 0 END) AS errors
        FROM event_minutes m JOIN hosts h ON h.id = m.host_key WHERE m.minute >= ? GROUP BY m.host_key`),
      reports: db.prepare<[], { host: string; report: string; at: number }>("SELECT host, report, at FROM agent_reports ORDER BY host"),
      saveReport: db.prepare<[string, string, number]>("INSERT INTO agent_reports (host, report, at) VALUES (?, ?, ?) ON CONFLICT(host) DO UPDATE SET report = excluded.report, at = excluded.at"),
      deleteReport: db.prepare<[string]>("DELETE FROM agent_reports WHERE host = ?"),
    };
  }

  lastEntries(by: "host" | "unit" | "log"): LastEntry[] {
    const out: LastEntry[] = [];
    if (by === "log") {
      for (const r of this.st.log.all()) if (r.ts !== null) out.push({ key: r.key, lastUs: r.ts });
    } else {
      for (const r of this.st[by].all()) {
        const us = r.ts ?? (r.minute === null ? null : (r.minute + 1) * MINUTE_US - 1);
        if (us !== null) out.push({ key: r.key, lastUs: us });
      }
    }
    return out.sort((a, b) => b.lastUs - a.lastUs);
  }

  /** Entries and errors per host in the minutes from `sinceUs`'s minute on. */
  hostCounts(sinceUs: number): Array<{ host: string; entries: number; errors: number }> {
    return this.st.counts.all(minuteOf(sinceUs)).map((r) => ({ host: r.host, entries: r.n, errors: r.errors }));
  }

  agentReports(): Array<{ host: string; report: string; atMs: number }> {
    return this.st.reports.all().map((r) => ({ host: r.host, report: r.report, atMs: r.at }));
  }

  saveAgentReport(host: string, report: string, atMs: number): void {
    this.st.saveReport.run(host, report, atMs);
  }

  deleteAgentReport(host: string): boolean {
    return this.st.deleteReport.run(host).changes > 0;
  }
}
