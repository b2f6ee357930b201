// Prometheus metrics of the alerts engine, in the server's registry.
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export class AlertMetrics {
  readonly alerts: Gauge;
  readonly evaluations: Counter<"trigger">;
  readonly evaluatedEvents: Counter;
  readonly firings: Counter<"trigger" | "state">;
  readonly deliveries: Counter<"result">;
  readonly tickSeconds: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.alerts = new Gauge({ name: "logharbor_alerts", help: "Alerts defined.", registers });
    this.evaluations = new Counter({ name: "logharbor_alerts_evaluations_total", help: "Scheduled alert evaluations, by trigger.", labelNames: ["trigger"], registers });
    this.evaluatedEvents = new Counter({ name: "logharbor_alerts_evaluated_events_total", help: "Committed events the alerts engine evaluated on the ingest path.", registers });
    this.firings = new Counter({ name: "logharbor_alerts_notifications_total", help: "Notifications made, by trigger and state (firing, resolved).", labelNames: ["trigger", "state"], registers });
    this.deliveries = new Counter({ name: "logharbor_alerts_deliveries_total", help: "Webhook delivery attempts by result (delivered, failed).", labelNames: ["result"], registers });
    this.tickSeconds = new Histogram({
      name: "logharbor_alerts_tick_seconds", help: "Time one evaluation tick of every alert took (the evaluation lag it adds).",
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1], registers,
    });
  }
}
