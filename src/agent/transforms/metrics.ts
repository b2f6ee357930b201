// The transforms' counters as Prometheus metrics: logharbor_ship_transform_events_total
// {transform="redact#1", event="bearer_token"} — entries kept and dropped by filters, secrets
// replaced per pattern, lines joined, entries dropped by rate limits... — read from the chain when
// /metrics is scraped (the hot path only bumps plain numbers).
import { Counter, type Registry } from "prom-client";
import type { TransformChain } from "./transform.js";

export function registerTransformMetrics(registry: Registry, chain: TransformChain): Counter<"transform" | "event"> {
  const seen = new Map<string, number>();
  return new Counter({
    name: "logharbor_ship_transform_events_total",
    help: "What the transforms did, per transform and event (filter kept/dropped, redact replacements per pattern, multiline joined lines, throttle drops, ...).",
    labelNames: ["transform", "event"],
    registers: [registry],
    collect() {
      for (const t of chain.transforms) {
        for (const [event, value] of Object.entries(t.counters())) {
          if (event === "held" || event === "keys") continue; // levels, not events
          const key = `${t.name}\n${event}`;
          const delta = value - (seen.get(key) ?? 0);
          if (delta > 0) this.inc({ transform: t.name, event }, delta);
          seen.set(key, value);
        }
      }
    },
  });
}
