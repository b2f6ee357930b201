// Statistics (groupby / calculate / timeslice): a bar or line chart with the table beside it.
import { useMemo, useState } from "preact/hooks";
import type uPlot from "uplot";
import type { StatisticsAnswerJson } from "../../core/api-json.js";
import { Chart, type ChartKind } from "./Chart.js";

function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  return Number.isInteger(v) ? v.toLocaleString() : v.toLocaleString(undefined, { maximumFractionDigits: 3 });
}

export function Stats(p: { answer: StatisticsAnswerJson; onZoom(fromMs: number, toMs: number): void }) {
  const s = p.answer.statistics;
  const [kind, setKind] = useState<ChartKind>(s.timeslice ? "line" : "bar");
  const label = s.function === "count" ? "count" : `${s.function}${s.percentile !== null ? `(${s.percentile})` : ""}${s.field ? `:${s.field}` : ""}`;
  const keyOf = (k: Array<string | number | null>) => k.map((x) => (x === null ? "(none)" : String(x))).join(", ");
  const top = s.groups.slice(0, 6);

  const series = useMemo(() => {
    if (!s.timeslice) return undefined;
    const x = s.timeslice.buckets.map((b) => b.from_ms / 1000);
    if (s.groupby.length > 0 && top.length > 0 && top[0]!.timeseries) {
      return { data: [x, ...top.map((g) => g.timeseries ?? [])] as uPlot.AlignedData, names: top.map((g) => keyOf(g.key)) };
    }
    return { data: [x, s.timeslice.buckets.map((b) => b.value)] as uPlot.AlignedData, names: [label] };
  }, [p.answer]);

  const max = Math.max(1, ...s.groups.map((g) => Math.abs(g.value ?? 0)));

  return (
    <div class="stats">
      <div class="stats-head">
        <span class="stats-total">
          {label} = <strong>{fmt(s.value)}</strong> over {s.count.toLocaleString()} events
          {s.groupby.length > 0 && ` · ${s.groups.length} of ${s.groups_total} groups by ${s.groupby.join(", ")}`}
        </span>
        {series && (
          <span class="seg">
            <button type="button" class={`btn${kind === "bar" ? " on" : ""}`} onClick={() => setKind("bar")}>Bars</button>
            <button type="button" class={`btn${kind === "line" ? " on" : ""}`} onClick={() => setKind("line")}>Line</button>
          </span>
        )}
      </div>
      <div class="stats-body">
        <div class="stats-chart">
          {series ? (
            <Chart data={series.data} series={series.names} kind={kind} height={260} onZoom={p.onZoom} />
          ) : s.groups.length > 0 ? (
            <div class="hbars" role="img" aria-label="bar chart">
              {s.groups.slice(0, 30).map((g) => (
                <div class="hbar">
                  <span class="hbar-label" title={keyOf(g.key)}>{keyOf(g.key)}</span>
                  <span class="hbar-track">
                    <span class="hbar-fill" style={{ width: `${(Math.abs(g.value ?? 0) / max) * 100}%` }} />
                  </span>
                  <span class="hbar-value">{fmt(g.value)}</span>
                </div>
              ))}
            </div>
          ) : (
            <div class="big-number">{fmt(s.value)}</div>
          )}
        </div>
        <table class="stats-table">
          <thead>
            <tr>
              {s.groupby.length > 0 ? s.groupby.map((g) => <th>{g}</th>) : s.timeslice ? <th>from</th> : <th />}
              <th class="num">events</th>
              <th class="num">{label}</th>
            </tr>
          </thead>
          <tbody>
            {s.groupby.length > 0
              ? s.groups.map((g) => (
                  <tr>
                    {g.key.map((k) => <td>{k === null ? "(none)" : String(k)}</td>)}
                    <td class="num">{g.count.toLocaleString()}</td>
                    <td class="num">{fmt(g.value)}</td>
                  </tr>
                ))
              : s.timeslice
                ? s.timeslice.buckets.map((b) => (
                    <tr>
                      <td>{new Date(b.from_ms).toLocaleString()}</td>
                      <td class="num">{b.count.toLocaleString()}</td>
                      <td class="num">{fmt(b.value)}</td>
                    </tr>
                  ))
                : (
                    <tr>
                      <td>all</td>
                      <td class="num">{s.count.toLocaleString()}</td>
                      <td class="num">{fmt(s.value)}</td>
                    </tr>
                  )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
