// Matching entries over the time range, above the results; drag across it to zoom the range.
import { useMemo } from "preact/hooks";
import type uPlot from "uplot";
import type { BucketJson } from "../../core/api-json.js";
import { Chart } from "./Chart.js";

interface Props {
  buckets: BucketJson[] | undefined;
  total: number | undefined;
  loading: boolean;
  onZoom(fromMs: number, toMs: number): void;
}

export function Histogram(p: Props) {
  const data = useMemo<uPlot.AlignedData>(() => {
    const b = p.buckets ?? [];
    return [b.map((x) => x.from_ms / 1000), b.map((x) => x.count)];
  }, [p.buckets]);
  return (
    <div class={`histogram${p.loading ? " loading" : ""}`} data-ready={p.buckets ? "true" : "false"} data-total={p.total ?? ""}>
      <Chart data={data} series={["entries"]} kind="bar" height={110} onZoom={p.onZoom} className="histogram-chart" />
      <div class="hint">drag across the chart to zoom</div>
    </div>
  );
}
