// Whether one stored event passes a planned query, in memory: the rule the live tail and the alerts
// evaluated on the ingest path share (the logs, the regex fields extracted, where, postFilter).
import type { StoredEvent } from "../storage/store.js";
import { extractor } from "./execute/extract.js";
import type { FoundEvent } from "./execute/index.js";
import { matchesEvent } from "./match.js";
import type { QueryPlan } from "./plan.js";

/** The event (with its regex fields) when it passes, else undefined. */
export type EventFilter = (e: StoredEvent) => FoundEvent | undefined;

/** `logIds` empty = every log; `plan` undefined = every event. */
export function eventFilter(logIds: readonly string[], plan: QueryPlan | undefined): EventFilter {
  const logs = logIds.length > 0 ? new Set(logIds) : undefined;
  const extract = plan ? extractor(plan.extractors) : undefined;
  const where = plan?.where;
  const post = plan?.postFilter;
  return (e) => {
    if (logs && !logs.has(e.logId)) return undefined;
    let view: FoundEvent = e;
    if (extract) {
      const x = extract(e.message);
      if (x) view = { ...e, extracted: x };
    }
    if (where && !matchesEvent(where, view)) return undefined;
    if (post && !matchesEvent(post, view)) return undefined;
    return view;
  };
}
