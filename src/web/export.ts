// Export of the entries listed as a file the browser downloads: NDJSON (one event per line, as
// `logharbor query -o json`) or CSV (time, log, host, unit, priority, message).
import type { EventJson } from "../core/api-json.js";

function csvCell(v: string | number | null): string {
  const s = v === null ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toNdjson(events: EventJson[]): string {
  return events.map((e) => JSON.stringify(e)).join("\n") + (events.length ? "\n" : "");
}

export function toCsv(events: EventJson[]): string {
  const head = "ts,log,host,unit,priority,message,id\r\n";
  return head + events.map((e) => [e.ts, e.log, e.host, e.unit, e.priority, e.message, e.id].map(csvCell).join(",")).join("\r\n") + (events.length ? "\r\n" : "");
}

export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
