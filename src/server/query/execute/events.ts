// Events queries: the store evaluates `where` (full text through the FTS index, time and logs
// through indexes); regex extractors and the post-filter run here, over each event the store
// yields. The range is scanned in chunks, newest first by default, until the page is full, the
// range is done, or the time budget is used up (then the answer is partial and says so).
import type { Store, StoredEvent } from "../../storage/store.js";
import { matchesEvent } from "../match.js";
import type { QueryPlan } from "../plan.js";
import { Budget, type Partial } from "./budget.js";
import { timeChunks } from "./chunks.js";
import { extractor } from "./extract.js";
import type { Range } from "./range.js";

export interface EventsOptions {
  logIds: string[];
  range: Range;
  /** Events per page. */
  limit: number;
  order: "asc" | "desc";
  after?: string;
  budget: Budget;
}

export interface FoundEvent extends StoredEvent {
  /** Values of the query's regex named groups. */
  extracted?: Record<string, string>;
}

export interface EventsResult {
  kind: "events";
  events: FoundEvent[];
  /** Pass back as `after` for the next page. */
  nextPage?: string;
  partial?: Partial;
}

/** Rows between two checks of the budget inside one chunk. */
const CHECK_EVERY = 512;

export function executeEvents(store: Store, plan: QueryPlan, o: EventsOptions): EventsResult {
  const extract = extractor(plan.extractors);
  const post = plan.postFilter;
  const events: FoundEvent[] = [];
  const { scanFromUs, scanToUs } = o.range;
  let doneTo = o.order === "desc" ? scanToUs : scanFromUs; // edge of the fully scanned part
  let first = true;
  for (const chunk of timeChunks(scanFromUs, scanToUs, o.order, o.budget)) {
    if (!first && o.budget.exceeded()) return cut(o, events, boundary(store, o.order, doneTo), doneTo);
    first = false;
    let rows = 0;
    const it = store.iterateEvents({
      logIds: o.logIds, fromUs: chunk.fromUs, toUs: chunk.toUs, order: o.order,
      ...(plan.where ? { where: plan.where } : {}), ...(o.after !== undefined ? { after: o.after } : {}),
    });
    for (const e of it) {
      if (++rows % CHECK_EVERY === 0 && o.budget.exceeded()) {
        it.return?.();
        // The next page continues after this event (looked at, not kept).
        return cut(o, events, store.positionOf(e), o.order === "desc" ? e.tsUs + 1 : e.tsUs);
      }
      const found: FoundEvent = e;
      if (extract) {
        const x = extract(e.message);
        if (x) found.extracted = x;
      }
      if (post && !matchesEvent(post, found)) continue;
      events.push(found);
      if (events.length === o.limit) {
        it.return?.();
        return { kind: "events", events, nextPage: store.positionOf(e) };
      }
    }
    doneTo = o.order === "desc" ? chunk.fromUs : chunk.toUs;
  }
  return { kind: "events", events };
}

function cut(o: EventsOptions, events: FoundEvent[], nextPage: string, edge: number): EventsResult {
  return {
    kind: "events",
    events,
    nextPage,
    partial: {
      reason: `time budget of ${o.budget.ms} ms used up before the whole range was scanned; ask for the next page to continue`,
      scannedFromUs: o.order === "desc" ? edge : o.range.scanFromUs,
      scannedToUs: o.order === "desc" ? o.range.scanToUs : edge,
    },
  };
}

/** A position just past a chunk boundary: desc continues below `edge`, asc at `edge` and above. */
function boundary(store: Store, order: "asc" | "desc", edge: number): string {
  const at = order === "desc" ? { tsUs: edge, id: 0 } : { tsUs: edge - 1, id: Number.MAX_SAFE_INTEGER };
  return store.positionOf({ ...at, logId: "", logName: "", host: null, unit: null, priority: null, message: "", fields: {} });
}
