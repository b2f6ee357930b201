// Statistics as terminal text: a table of groups with a bar per value, or a bar chart over time
// for timeslice(); --raw gives tab-separated lines for scripts.
import type { StatisticsJson } from "../../core/api-json.js";
import { formatTable } from "./table.js";

const BAR_WIDTH = 40;

export function calcLabel(s: StatisticsJson): string {
  const fn = s.function === "percentile" ? `percentile(${s.percentile})` : s.function;
  return s.field ? `${fn}:${s.field}` : fn;
}

export function formatNumber(v: number | null): string {
  if (v === null) return "-";
  if (Number.isInteger(v)) return String(v);
  return String(Math.round(v * 1000) / 1000);
}

function bar(v: number | null, max: number): string {
  if (v === null || max <= 0 || v <= 0) return "";
  const eighths = Math.max(1, Math.round((v / max) * BAR_WIDTH * 8));
  return "█".repeat(Math.floor(eighths / 8)) + (eighths % 8 ? "▏▎▍▌▋▊▉"[8 - (eighths % 8) - 1] ?? "" : "");
}

/** Human-readable statistics. */
export function formatStatistics(s: StatisticsJson): string {
  const label = calcLabel(s);
  let out = "";
  if (s.groupby.length > 0) {
    const max = Math.max(0, ...s.groups.map((g) => g.value ?? 0));
    const rows = s.groups.map((g) => [...g.key.map((k) => (k === null ? "-" : String(k))), formatNumber(g.value), bar(g.value, max)]);
    out += formatTable([...s.groupby, label, ""], rows);
    if (s.groups_total > s.groups.length) out += `(${s.groups.length} of ${s.groups_total} groups)\n`;
  }
  if (s.timeslice && s.groupby.length === 0) {
    const max = Math.max(0, ...s.timeslice.buckets.map((b) => b.value ?? 0));
    const rows = s.timeslice.buckets.map((b) => [b.from.replace("T", " ").replace(/:\d\d\.\d+Z$/, "Z"), formatNumber(b.value), bar(b.value, max)]);
    out += formatTable(["time", label, ""], rows);
  }
  out += `${label}: ${formatNumber(s.value)} over ${s.count} event${s.count === 1 ? "" : "s"}\n`;
  return out;
}

/** Tab-separated: one line per group (keys, value) or per bucket (time, value), else the value. */
export function formatStatisticsRaw(s: StatisticsJson): string {
  if (s.groupby.length > 0) return s.groups.map((g) => [...g.key.map((k) => String(k ?? "")), formatNumber(g.value)].join("\t") + "\n").join("");
  if (s.timeslice) return s.timeslice.buckets.map((b) => `${b.from}\t${formatNumber(b.value)}\n`).join("");
  return `${formatNumber(s.value)}\n`;
}
