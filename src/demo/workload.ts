// What an emitter returns, and the small vocabularies the emitters share (addresses, users, paths).
import type { ExportField } from "../core/journal/export-encoder.js";
import type { Boot, Clock, Host, Proc } from "./cluster.js";
import type { Prng } from "./prng.js";

export interface Emitted {
  proc: Proc;
  /** Omitted for kernel messages. */
  pid?: number;
  /** 0 emerg .. 7 debug */
  priority: number;
  message: string;
  /** Fields beyond the common ones (UNIT=, CONTAINER_NAME=, ...), placed before MESSAGE. */
  extra?: ExportField[];
}

export interface EmitContext {
  rng: Prng;
  host: Host;
  boot: Boot;
  clock: Clock;
}

export type Emitter = (ctx: EmitContext) => Emitted;

/** Client addresses: mostly pod/LB addresses inside the cluster, some from the internet. */
export function clientIp(rng: Prng): string {
  if (rng.chance(0.8)) return `10.244.${rng.int(4)}.${rng.range(2, 254)}`;
  return `${rng.pick(["203.0.113", "198.51.100", "192.0.2", "185.220.101", "45.155.205"])}.${rng.range(1, 254)}`;
}

export function ephemeralPort(rng: Prng): number {
  return rng.range(32768, 60999);
}

/** A short random identifier in the alphabet apps use for ids. */
export function shortId(rng: Prng, n: number): string {
  return rng.chars(n, "0123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ");
}

export const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
  "okhttp/4.12.0",
  "Go-http-client/1.1",
  "curl/8.5.0",
  "kube-probe/1.29",
  "python-requests/2.31.0",
];

export const HTTP_PATHS = [
  "/api/v1/orders",
  "/api/v1/orders/{id}",
  "/api/v1/orders/{id}/items",
  "/api/v1/customers/{id}",
  "/api/v1/cart",
  "/api/v1/checkout",
  "/api/v1/products?page={n}",
  "/api/v1/search?q=shoes&limit=20",
  "/healthz",
  "/static/js/app.{hex}.js",
  "/static/css/main.{hex}.css",
  "/login",
];

export function fillPath(rng: Prng, template: string): string {
  return template
    .replace("{id}", String(rng.range(1000, 99999)))
    .replace("{n}", String(rng.range(1, 40)))
    .replace("{hex}", rng.hex(8));
}
