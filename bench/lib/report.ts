// The bench's table and ratios. Ratios compare entries/s with a reference measured in the same run:
// c/b and d/b (logharbor against the JSON-reading ceiling), c2/g (the agent through gatewayd against
// gatewayd's own serving rate), b/a, f/a (the files source alone against journalctl -o export) and
// c3/c1 (the agent through the files source against the agent through journalctl).
import type { Dataset } from "./dataset.js";
import type { StepResult } from "./steps.js";

export interface Ratio {
  name: string;
  value: number;
}

const REFERENCE = "b";

export function ratios(results: readonly StepResult[]): Ratio[] {
  const rate = (id: string): number | undefined => {
    const r = results.find((x) => x.id === id);
    return r?.ok ? r.entriesPerSec : undefined;
  };
  const b = rate(REFERENCE);
  const out: Ratio[] = [];
  for (const r of results) {
    if (!r.ok || r.entriesPerSec === undefined || !(r.id.startsWith("c") || r.id.startsWith("d"))) continue;
    if (b !== undefined) out.push({ name: `${r.id}/b`, value: Math.round((r.entriesPerSec / b) * 100) / 100 });
  }
  const c1 = rate("c1");
  const c1t = rate("c1t");
  if (c1 !== undefined && c1t !== undefined) out.push({ name: "c1t/c1", value: Math.round((c1t / c1) * 100) / 100 });
  const g = rate("g");
  const c2 = rate("c2");
  if (g !== undefined && c2 !== undefined) out.push({ name: "c2/g", value: Math.round((c2 / g) * 100) / 100 });
  const a = rate("a");
  if (a !== undefined && b !== undefined) out.push({ name: "b/a", value: Math.round((b / a) * 100) / 100 });
  // The files source: alone against journalctl -o export (target >= 1.0), the agent through it against c1 (>= 1.5).
  const f = rate("f");
  if (f !== undefined && a !== undefined) out.push({ name: "f/a", value: Math.round((f / a) * 100) / 100 });
  const c3 = rate("c3");
  if (c3 !== undefined && c1 !== undefined) out.push({ name: "c3/c1", value: Math.round((c3 / c1) * 100) / 100 });
  return out;
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

export function formatTable(ds: Dataset, results: readonly StepResult[], ratioList: readonly Ratio[]): string {
  const b = results.find((r) => r.id === REFERENCE && r.ok)?.entriesPerSec;
  const rows = results.map((r) => [
    r.id,
    r.label,
    r.ok ? r.seconds!.toFixed(2) : "-",
    r.ok ? String(r.entriesPerSec) : "FAILED",
    r.ok && b ? (r.entriesPerSec! / b).toFixed(2) : "-",
    Object.entries(r.peakRssMb).map(([k, v]) => `${k} ${v.toFixed(0)}${r.peakAnonMb[k] !== undefined ? `/${r.peakAnonMb[k]!.toFixed(0)}` : ""}`).join(", "),
  ]);
  const head = ["step", "what", "seconds", "entries/s", "vs b", "peak RSS/anon MiB"];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => pad(c, w[i]!, i >= 2 && i <= 4)).join("  ").trimEnd();
  const lines = [
    `logharbor bench: ${ds.entries} entries, seed ${ds.seed}, ${ds.hosts} hosts, ${ds.files} journal files (${(ds.bytes / 1e6).toFixed(0)} MB); ` +
      `generated in ${ds.generationSeconds.toFixed(1)} s${ds.generated ? "" : " (cached)"}`,
    "",
    line(head),
    line(w.map((n) => "-".repeat(n))),
    ...rows.map(line),
    "",
    "peak RSS = VmHWM (for journal readers it includes the mapped journal files); anon = sampled peak anonymous RSS (own memory)",
    ratioList.length > 0 ? `ratios (entries/s): ${ratioList.map((r) => `${r.name} = ${r.value.toFixed(2)}`).join("  ")}` : "ratios: (need b and c/d)",
  ];
  for (const r of results) if (!r.ok) lines.push(`${r.id} failed: ${r.error}`);
  return lines.join("\n") + "\n";
}
