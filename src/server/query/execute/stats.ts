// Statistics: groupby(1..5 fields) + calculate(fn) + timeslice, then sort and limit.
// Three ways, cheapest first:
// - aggregate: count / sum / average / min / max / bytes on store fields run in the store (SQL GROUP BY,
//   the time bucket an integer division of ts) and merge here;
// - values: unique / percentile / median stream each event's group keys and value from the store;
// - events: when a regex named group is used (or the post-filter needs one), every matching event
//   comes here and is evaluated in JavaScript.
// The range is scanned in chunks, newest first, stopping when the time budget is used up.
import { LogharborError } from "../../../core/errors.js";
import { FIELD_HOSTNAME, FIELD_MESSAGE, FIELD_SYSTEMD_UNIT } from "../../../core/journal/fields.js";
import type { CalcFn } from "../ast.js";
import type { AggregateSpec, RangeSearch, Store } from "../../storage/store.js";
import { fieldValues, matchesEvent } from "../match.js";
import type { PlannedField, QueryPlan, StatsPlan } from "../plan.js";
import { Accumulator } from "./accumulator.js";
import type { Budget, Partial } from "./budget.js";
import { timeChunks } from "./chunks.js";
import { extractor } from "./extract.js";
import type { Range } from "./range.js";
import { bucketsOf, type Buckets } from "./timeslice.js";

export const DEFAULT_GROUP_LIMIT = 100;
/** Distinct groups kept at most; beyond, the answer is partial. */
export const MAX_GROUPS = 100_000;
const NUMERIC_FNS: readonly CalcFn[] = ["sum", "average", "min", "max", "percentile", "median"];
const SQL_FNS: readonly CalcFn[] = ["count", "sum", "average", "min", "max", "bytes"];

export type GroupKey = Array<string | number | null>;

export interface StatsGroup {
  keys: GroupKey;
  count: number;
  value: number | null;
  /** Per bucket, with timeslice(). */
  timeseries?: Array<number | null>;
}

export interface StatsResult {
  kind: "statistics";
  fn: CalcFn;
  field?: string;
  percentile?: number;
  /** groupby fields as written. */
  groupby: string[];
  /** Matching events. */
  count: number;
  /** The calculation over every matching event. */
  value: number | null;
  groups: StatsGroup[];
  /** Groups before limit(). */
  groupsTotal: number;
  buckets?: Buckets;
  /** Overall value per bucket. */
  timeseries?: Array<{ count: number; value: number | null }>;
  partial?: Partial;
  /** How it ran: "aggregate" (in the store), "values" or "events" (streamed here). */
  strategy: "aggregate" | "values" | "events";
}

export interface StatsOptions {
  logIds: string[];
  range: Range;
  budget: Budget;
}

class Group {
  readonly total: Accumulator;
  readonly buckets = new Map<number, Accumulator>();
  constructor(readonly keys: GroupKey, private readonly fn: CalcFn) {
    this.total = new Accumulator(fn);
  }
  bucket(b: number): Accumulator {
    let a = this.buckets.get(b);
    if (!a) this.buckets.set(b, (a = new Accumulator(this.fn)));
    return a;
  }
}

function usesRegexField(plan: QueryPlan, s: StatsPlan): boolean {
  const f = [...s.groupby, ...(s.calculate.field ? [s.calculate.field] : [])];
  return f.some((x) => plan.regexFields.includes(x.field));
}

function notNumeric(c: StatsPlan["calculate"], f: PlannedField, detail: string): LogharborError {
  const fn = c.fn === "percentile" ? `percentile(${c.percentile})` : c.fn;
  return new LogharborError(
    "LH_ERR_QUERY_FIELD",
    `query: calculate(${fn}:${f.written}) at column ${f.pos}: field "${f.written}" ${detail}; ${c.fn} needs numbers (count, unique and groupby take any field)`,
    { position: f.pos },
  );
}

export function executeStats(store: Store, plan: QueryPlan, o: StatsOptions): StatsResult {
  const s = plan.stats!;
  const c = s.calculate;
  const fn = c.fn;
  if (c.field && NUMERIC_FNS.includes(fn) && [FIELD_HOSTNAME, FIELD_SYSTEMD_UNIT, FIELD_MESSAGE].includes(c.field.field)) {
    throw notNumeric(c, c.field, "holds text, never numbers");
  }
  const buckets = s.timeslice ? bucketsOf(s.timeslice, o.range) : undefined;
  const strategy: StatsResult["strategy"] =
    plan.postFilter || usesRegexField(plan, s) ? "events" : SQL_FNS.includes(fn) ? "aggregate" : "values";

  const overall = new Accumulator(fn);
  const overallBuckets = new Map<number, Accumulator>();
  const groups = new Map<string, Group>();
  let partial: Partial | undefined;
  const hasGroups = s.groupby.length > 0;

  const groupOf = (keys: GroupKey): Group | undefined => {
    if (!hasGroups || keys.some((k) => k === null)) return undefined; // events without the field are in no group
    const id = JSON.stringify(keys);
    let g = groups.get(id);
    if (!g) {
      if (groups.size >= MAX_GROUPS) {
        partial ??= { reason: `more than ${MAX_GROUPS} groups; narrow the query`, scannedFromUs: o.range.scanFromUs, scannedToUs: o.range.scanToUs };
        return undefined;
      }
      groups.set(id, (g = new Group(keys, fn)));
    }
    return g;
  };
  const overallBucket = (b: number): Accumulator => {
    let a = overallBuckets.get(b);
    if (!a) overallBuckets.set(b, (a = new Accumulator(fn)));
    return a;
  };

  const spec: AggregateSpec = { groupby: s.groupby.map((f) => f.field) };
  if (buckets) spec.bucket = { originUs: buckets.originUs, widthUs: buckets.widthUs };
  if (c.field) spec.value = c.field.field;
  if (fn === "bytes") spec.bytes = true;

  const extract = extractor(plan.extractors);
  let doneFrom = o.range.scanToUs;
  let first = true;
  for (const chunk of timeChunks(o.range.scanFromUs, o.range.scanToUs, "desc", o.budget)) {
    if (!first && o.budget.exceeded()) {
      partial = {
        reason: `time budget of ${o.budget.ms} ms used up; the statistics cover only the newest part of the range`,
        scannedFromUs: doneFrom,
        scannedToUs: o.range.scanToUs,
      };
      break;
    }
    first = false;
    const q: RangeSearch = { logIds: o.logIds, fromUs: chunk.fromUs, toUs: chunk.toUs, ...(plan.where ? { where: plan.where } : {}) };
    if (strategy === "aggregate") {
      for (const r of store.aggregate(q, spec)) {
        overall.addRow(r);
        if (r.bucket !== null) overallBucket(r.bucket).addRow(r);
        const g = groupOf(r.keys);
        if (g) {
          g.total.addRow(r);
          if (r.bucket !== null) g.bucket(r.bucket).addRow(r);
        }
      }
    } else if (strategy === "values") {
      for (const r of store.iterateValues(q, spec)) {
        overall.add(r.value, r.bytes);
        if (r.bucket !== null) overallBucket(r.bucket).add(r.value, r.bytes);
        const g = groupOf(r.keys);
        if (g) {
          g.total.add(r.value, r.bytes);
          if (r.bucket !== null) g.bucket(r.bucket).add(r.value, r.bytes);
        }
      }
    } else {
      for (const e of store.iterateEvents({ ...q, order: "desc" })) {
        const view: Parameters<typeof matchesEvent>[1] = e;
        if (extract) {
          const x = extract(e.message);
          if (x) view.extracted = x;
        }
        if (plan.postFilter && !matchesEvent(plan.postFilter, view)) continue;
        const first = (f: PlannedField) => fieldValues(view, f.field)[0] ?? null;
        const keys = s.groupby.map(first);
        const value = c.field ? first(c.field) : null;
        const bytes = fn === "bytes" ? Buffer.byteLength(e.message) : 0;
        const b = buckets ? Math.floor((e.tsUs - buckets.originUs) / buckets.widthUs) : null;
        overall.add(value, bytes);
        if (b !== null) overallBucket(b).add(value, bytes);
        const g = groupOf(keys);
        if (g) {
          g.total.add(value, bytes);
          if (b !== null) g.bucket(b).add(value, bytes);
        }
      }
    }
    doneFrom = chunk.fromUs;
  }

  if (c.field && NUMERIC_FNS.includes(fn) && overall.present > 0 && overall.numeric === 0) {
    throw notNumeric(c, c.field, `has ${overall.present} value(s) in the matching events and none is a number`);
  }

  const pct = c.percentile ?? 50;
  let list: StatsGroup[] = [...groups.values()].map((g) => {
    const out: StatsGroup = { keys: g.keys, count: g.total.count, value: g.total.result(fn, pct) };
    if (buckets) out.timeseries = Array.from({ length: buckets.count }, (_, i) => g.buckets.get(i)?.result(fn, pct) ?? emptyValue(fn));
    return out;
  });
  const total = list.length;
  list = sortGroups(list, plan.sort);
  list = list.slice(0, plan.limit ?? DEFAULT_GROUP_LIMIT);

  const result: StatsResult = {
    kind: "statistics", fn, groupby: s.groupby.map((f) => f.written), count: overall.count,
    value: overall.result(fn, pct), groups: list, groupsTotal: total, strategy,
  };
  if (c.field) result.field = c.field.written;
  if (fn === "percentile") result.percentile = pct;
  if (buckets) {
    result.buckets = buckets;
    result.timeseries = Array.from({ length: buckets.count }, (_, i) => {
      const a = overallBuckets.get(i);
      return { count: a?.count ?? 0, value: a ? a.result(fn, pct) : emptyValue(fn) };
    });
  }
  if (partial) result.partial = partial;
  return result;
}

/** The value of an empty bucket: 0 for count-like functions, null where nothing can be computed. */
function emptyValue(fn: CalcFn): number | null {
  return fn === "count" || fn === "bytes" || fn === "sum" || fn === "unique" ? 0 : null;
}

function compareKeys(a: GroupKey, b: GroupKey): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? "";
    const y = b[i] ?? "";
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    if (typeof x === "number") return -1;
    if (typeof y === "number") return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** By value (default: descending; null last) or by key (sort(asc#key)); ties by key. */
export function sortGroups(list: StatsGroup[], sort: QueryPlan["sort"]): StatsGroup[] {
  const dir = sort?.direction === "asc" ? 1 : -1;
  if (sort?.by === "key") return [...list].sort((a, b) => dir * compareKeys(a.keys, b.keys));
  return [...list].sort((a, b) => {
    if (a.value !== b.value) {
      if (a.value === null) return 1;
      if (b.value === null) return -1;
      return dir * (a.value - b.value);
    }
    return compareKeys(a.keys, b.keys);
  });
}
