// A thin Preact wrapper around uPlot (small and fast: canvas, no dependencies). Colours come from
// CSS variables so the charts follow the light/dark theme.
import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { zone } from "../state.js";

export type ChartKind = "bar" | "line";

interface Props {
  /** x in seconds (uPlot's time scale), then one array per series. */
  data: uPlot.AlignedData;
  series: string[];
  kind: ChartKind;
  height: number;
  /** Drag to select a time range: called with epoch ms. */
  onZoom?: ((fromMs: number, toMs: number) => void) | undefined;
  className?: string;
}

const PALETTE = ["--chart-1", "--chart-2", "--chart-3", "--chart-4", "--chart-5", "--chart-6"];

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#4a7fd4";
}

export function Chart(p: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoom = useRef(p.onZoom);
  zoom.current = p.onZoom;
  // Redraw with the new colours when the theme changes (the page's toggle or the system's).
  const [themeSeq, setThemeSeq] = useState(0);
  useEffect(() => {
    const bump = () => setThemeSeq((n) => n + 1);
    const media = matchMedia("(prefers-color-scheme: dark)");
    window.addEventListener("logharbor-theme", bump);
    media.addEventListener("change", bump);
    return () => {
      window.removeEventListener("logharbor-theme", bump);
      media.removeEventListener("change", bump);
    };
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const axis = cssVar("--muted");
    const grid = cssVar("--grid");
    // At least 2 px wide: a bucket holding every entry of a long range stays visible.
    const bars = p.kind === "bar" ? uPlot.paths.bars!({ size: [0.9, 60, 2], align: 1 }) : undefined;
    const utc = zone() === "utc";
    const opts: uPlot.Options = {
      // The axes in the page's zone (UTC by default, as the list and the CLI).
      ...(utc ? { tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC") } : {}),
      width: Math.max(200, el.clientWidth),
      height: p.height,
      legend: { show: p.series.length > 1 },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: p.kind === "line" } },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      // Counts (bars) start at 0 and show at least 0..1, with whole-number ticks: a histogram of a few
      // entries shows its bars and a y-axis with more than "0".
      scales: { x: { time: true }, ...(p.kind === "bar" ? { y: { range: (_u: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, Math.max(1, Math.ceil(max * 1.1))] } } : {}) },
      axes: [
        { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
        {
          stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 50,
          ...(p.kind === "bar" ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7, 1e8] } : {}),
        },
      ],
      series: [
        {},
        ...p.series.map((label, i) => {
          const c = cssVar(PALETTE[i % PALETTE.length]!);
          return {
            label,
            stroke: c,
            width: p.kind === "line" ? 1.5 : 0,
            fill: p.kind === "bar" ? c : undefined,
            ...(bars ? { paths: bars, points: { show: false } } : {}),
          } as uPlot.Series;
        }),
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 3) return;
            const f = u.posToVal(u.select.left, "x");
            const t = u.posToVal(u.select.left + u.select.width, "x");
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoom.current?.(Math.floor(f * 1000), Math.ceil(t * 1000));
          },
        ],
      },
    };
    const u = new uPlot(opts, p.data, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: p.height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [p.kind, p.series.join("\u0000"), p.height, themeSeq]);

  useEffect(() => {
    plot.current?.setData(p.data);
  }, [p.data]);

  return <div class={`chart ${p.className ?? ""}`} ref={box} />;
}
