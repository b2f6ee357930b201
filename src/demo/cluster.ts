// The demo cluster: hosts with stable machine ids, their boots (boot id, boot time, the PIDs of
// their long-running daemons, the containers they run), and the time formats their logs use.
import { Prng } from "./prng.js";

export type Transport = "journal" | "stdout" | "syslog" | "kernel";

/** The process an entry comes from: what journald records about it as trusted fields. */
export interface Proc {
  unit?: string;
  ident: string;
  comm?: string;
  exe?: string;
  uid?: number;
  gid?: number;
  /** syslog facility number: 0 kern, 3 daemon, 4 auth, 9 cron, 10 authpriv, 16 local0 */
  facility: number;
  transport: Transport;
}

export interface Container {
  id: string;
  name: string;
  image: string;
  /** Which workload it runs: see containers.ts. */
  app: "orders-api" | "billing-worker" | "redis";
}

export interface Boot {
  bootId: string;
  /** Realtime of the boot, in microseconds since the epoch: __MONOTONIC_TIMESTAMP counts from it. */
  startUs: number;
  /** Stable PIDs of this boot's daemons. */
  pids: {
    nginxMaster: number;
    nginxWorkers: number[];
    postgres: number;
    sshd: number;
    cron: number;
    kubelet: number;
    containerd: number;
    dockerd: number;
    containers: number[];
  };
  containers: Container[];
}

export interface Host {
  name: string;
  machineId: string;
  /** The host's address inside the cluster network. */
  ip: string;
  /** Boots in time order; an entry belongs to the last boot that started before it. */
  boots: Boot[];
}

/**
 * Builds the hosts. Everything here is drawn from its own PRNG stream per host, so a host looks the
 * same whatever the entry count. The last host of a cluster of 3 or more reboots once, at 60 % of
 * the window (a new boot id, monotonic time starting again near zero), as real clusters do.
 */
export function buildCluster(seed: number, hostCount: number, startUs: number, spanUs: number): Host[] {
  const hosts: Host[] = [];
  for (let h = 0; h < hostCount; h++) {
    const name = `node-${h + 1}`;
    const rng = new Prng(seed, `host:${name}`);
    const host: Host = { name, machineId: rng.hex(32), ip: `10.0.0.${11 + h}`, boots: [] };
    // Up since 1 to 40 days before the window starts.
    const upUs = rng.range(1 * 86400, 40 * 86400) * 1e6 + rng.int(1e6);
    host.boots.push(buildBoot(rng, startUs - upUs, h));
    if (hostCount >= 3 && h === hostCount - 1) {
      host.boots.push(buildBoot(rng, startUs + Math.floor(spanUs * 0.6), h));
    }
    hosts.push(host);
  }
  return hosts;
}

function buildBoot(rng: Prng, startUs: number, hostIndex: number): Boot {
  const pid = (lo: number, hi: number): number => rng.range(lo, hi);
  const apps: Array<[Container["app"], string]> = [
    ["orders-api", "registry.example.com/shop/orders-api:1.14.2"],
    ["orders-api", "registry.example.com/shop/orders-api:1.14.2"],
    ["billing-worker", "registry.example.com/shop/billing-worker:3.2.0"],
    ["redis", "redis:7.2-alpine"],
  ];
  const containers = apps.map(([app, image], i): Container => ({
    id: rng.hex(64),
    name: app === "redis" ? `redis-${hostIndex + 1}` : `${app}-${hostIndex * 2 + i + 1}`,
    image,
    app,
  }));
  return {
    bootId: rng.hex(32),
    startUs,
    pids: {
      nginxMaster: pid(700, 900),
      nginxWorkers: [pid(901, 1200), pid(901, 1200), pid(901, 1200), pid(901, 1200)],
      postgres: pid(600, 699),
      sshd: pid(500, 599),
      cron: pid(400, 499),
      kubelet: pid(1300, 1600),
      containerd: pid(300, 399),
      dockerd: pid(1000, 1299),
      containers: containers.map(() => pid(2000, 9000)),
    },
    containers,
  };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The entry's time in the formats our daemons print, all UTC. */
export class Clock {
  /** 2024-03-12T10:15:32.123Z */
  readonly iso: string;
  readonly us: number;

  constructor(us: number) {
    this.us = us;
    this.iso = new Date(Math.floor(us / 1000)).toISOString();
  }

  private get month(): string {
    return MONTHS[Number(this.iso.slice(5, 7)) - 1]!;
  }

  /** 12/Mar/2024:10:15:32 +0000 (nginx access log) */
  nginx(): string {
    return `${this.iso.slice(8, 10)}/${this.month}/${this.iso.slice(0, 4)}:${this.iso.slice(11, 19)} +0000`;
  }

  /** 2024/03/12 10:15:32 (nginx error log) */
  nginxError(): string {
    return `${this.iso.slice(0, 10).replaceAll("-", "/")} ${this.iso.slice(11, 19)}`;
  }

  /** 2024-03-12 10:15:32.123 UTC (postgres log_line_prefix %m) */
  postgres(): string {
    return `${this.iso.slice(0, 10)} ${this.iso.slice(11, 23)} UTC`;
  }

  /** I0312 10:15:32.123456 without the level letter: 0312 10:15:32.123456 (klog) */
  klog(): string {
    const micros = String(this.us % 1e6).padStart(6, "0");
    return `${this.iso.slice(5, 7)}${this.iso.slice(8, 10)} ${this.iso.slice(11, 19)}.${micros}`;
  }

  /** 12 Mar 2024 10:15:32.123 (redis) */
  redis(): string {
    return `${this.iso.slice(8, 10)} ${this.month} ${this.iso.slice(0, 4)} ${this.iso.slice(11, 23)}`;
  }

  /** 2024-03-12T10:15:32.123456789Z (containerd, nanoseconds) */
  nanos(): string {
    return `${this.iso.slice(0, 19)}.${String(this.us % 1e6).padStart(6, "0")}${String((this.us * 7) % 1000).padStart(3, "0")}Z`;
  }
}
