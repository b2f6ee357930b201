// Matches per minute over the last hour as a tiny bar chart (an alert's row).
export function Sparkline({ counts }: { counts: number[] }) {
  const max = Math.max(1, ...counts);
  const w = 2;
  return (
    <svg class="sparkline" width={counts.length * w} height={16} viewBox={`0 0 ${counts.length * w} 16`} aria-label={`${counts.reduce((a, b) => a + b, 0)} matching in the last hour`}>
      {counts.map((n, i) => (n > 0 ? <rect x={i * w} y={16 - Math.max(1, (n / max) * 16)} width={w - 0.5} height={Math.max(1, (n / max) * 16)} /> : null))}
    </svg>
  );
}
