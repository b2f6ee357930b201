// Metrics of the etcd configuration (logharbor_ship_cluster_*), in the agent's registry.
import { Counter, Gauge, type Registry } from "prom-client";

export class ClusterMetrics {
  readonly applied: Counter<string>;
  readonly rejected: Counter<string>;
  readonly connected: Gauge<string>;

  constructor(registry?: Registry) {
    const registers = registry ? [registry] : [];
    this.applied = new Counter({ name: "logharbor_ship_cluster_config_applied_total", help: "Configurations from etcd (or its cache) applied.", labelNames: ["from"], registers });
    this.rejected = new Counter({ name: "logharbor_ship_cluster_config_rejected_total", help: "Configurations from etcd rejected as invalid (the last good one keeps running).", registers });
    this.connected = new Gauge({ name: "logharbor_ship_cluster_etcd_connected", help: "1 while etcd answers, 0 otherwise.", registers });
  }
}
