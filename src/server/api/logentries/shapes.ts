// The answers of the Logentries / InsightOps query API:
// events:     {"logs":[ids],"leql":{"during":{"from","to"},"statement"},"events":[{"log_id","timestamp",
//              "sequence_number","message","labels":[],"links":[]}],"links":[{"rel":"Next","href"}]?}
// statistics: {"logs","leql","statistics":{"from","to","count","type","field","granularity","cardinality",
//              "status":200,"stats":{"global_timeseries":{FN:value}},"groups":[{KEY:{FN:value}}],
//              "timeseries":{"global_timeseries":[{FN:v},...]} or per group key}}
// Times are epoch milliseconds. A cut answer adds "partial": true and "reason".
import type { FoundEvent, QueryResult, StatsResult } from "../../query/execute/index.js";

export interface Leql {
  during: { from: number; to: number };
  statement: string;
}

function groupName(keys: Array<string | number | null>): string {
  return keys.map((k) => String(k)).join(", ");
}

export function eventsShape(events: FoundEvent[], leql: Leql, logIds: string[], next: string | undefined): Record<string, unknown> {
  return {
    logs: logIds,
    leql,
    events: events.map((e) => ({
      log_id: e.logId,
      timestamp: Math.floor(e.tsUs / 1000),
      sequence_number: e.id,
      message: e.message,
      labels: [],
      links: [],
      // logharbor extras: where the event came from, and its fields.
      host: e.host,
      unit: e.unit,
      priority: e.priority,
    })),
    ...(next ? { links: [{ rel: "Next", href: next }] } : {}),
  };
}

export function statisticsShape(r: StatsResult, leql: Leql, logIds: string[]): Record<string, unknown> {
  const fn = r.fn;
  const v = (x: number | null) => ({ [fn]: x });
  const stats: Record<string, unknown> = {
    from: leql.during.from,
    to: leql.during.to,
    count: r.count,
    type: fn,
    field: r.field ?? null,
    granularity: r.buckets ? r.buckets.widthUs / 1000 : 0,
    cardinality: r.groupsTotal,
    status: 200,
    stats: r.groupby.length === 0 ? { global_timeseries: v(r.value) } : {},
    groups: r.groups.map((g) => ({ [groupName(g.keys)]: v(g.value) })),
    timeseries: {},
  };
  if (r.timeseries) {
    stats["timeseries"] =
      r.groupby.length === 0
        ? { global_timeseries: r.timeseries.map((b) => v(b.value)) }
        : Object.fromEntries(r.groups.map((g) => [groupName(g.keys), (g.timeseries ?? []).map(v)]));
  }
  return { logs: logIds, leql, statistics: stats };
}

export function resultShape(r: QueryResult, leql: Leql, logIds: string[], next: string | undefined): Record<string, unknown> {
  const body = r.kind === "events" ? eventsShape(r.events, leql, logIds, next) : statisticsShape(r, leql, logIds);
  if (r.partial) Object.assign(body, { partial: true, reason: r.partial.reason });
  return body;
}
