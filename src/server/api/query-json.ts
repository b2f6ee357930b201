// JSON shapes of /api/v1/query answers (documented in docs/http-api.md).
import type { QueryAnswerJson, QueryEventJson, StatisticsJson } from "../../core/api-json.js";
import { formatIsoUs } from "../../core/time.js";
import type { FoundEvent, Partial, QueryResult, StatsResult } from "../query/execute/index.js";
import { eventJson } from "./events.js";

export function queryEventJson(e: FoundEvent): QueryEventJson {
  const j: QueryEventJson = eventJson(e);
  if (e.parsed) j.parsed = e.parsed;
  if (e.extracted) j.extracted = e.extracted;
  return j;
}

const OPEN_END = Number.MAX_SAFE_INTEGER;

function isoOrNull(us: number): string | null {
  return us <= 0 || us >= OPEN_END ? null : formatIsoUs(us);
}

function partialJson(p: Partial | undefined): Pick<QueryAnswerJson, "partial" | "reason" | "scanned_from" | "scanned_to"> {
  return p
    ? { partial: true, reason: p.reason, scanned_from: formatIsoUs(p.scannedFromUs), scanned_to: formatIsoUs(p.scannedToUs) }
    : { partial: false };
}

export function statisticsJson(r: StatsResult): StatisticsJson {
  const out: StatisticsJson = {
    function: r.fn,
    field: r.field ?? null,
    percentile: r.percentile ?? null,
    groupby: r.groupby,
    count: r.count,
    value: r.value,
    groups: r.groups.map((g) => ({ key: g.keys, count: g.count, value: g.value, ...(g.timeseries ? { timeseries: g.timeseries } : {}) })),
    groups_total: r.groupsTotal,
  };
  if (r.buckets && r.timeseries) {
    const b = r.buckets;
    out.timeslice = {
      width_ms: b.widthUs / 1000,
      buckets: r.timeseries.map((t, i) => ({ from: formatIsoUs(b.originUs + i * b.widthUs), from_ms: Math.floor((b.originUs + i * b.widthUs) / 1000), count: t.count, value: t.value })),
    };
  }
  return out;
}

export function queryResultJson(r: QueryResult, canonical: string, elapsedMs: number): QueryAnswerJson {
  const head = { query: canonical, from: isoOrNull(r.fromUs), to: isoOrNull(r.toUs) };
  const tail = { ...partialJson(r.partial), elapsed_ms: Math.round(elapsedMs * 10) / 10 };
  if (r.kind === "events") {
    return { type: "events", ...head, events: r.events.map(queryEventJson), ...(r.nextPage ? { next_page: r.nextPage } : {}), ...tail };
  }
  return { type: "statistics", ...head, statistics: statisticsJson(r), strategy: r.strategy, ...tail };
}
