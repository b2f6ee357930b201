// Delivery of notifications: each goes into the outbox (the catalog: it survives a restart) and is
// POSTed to its alert's webhook; a 2xx removes it, anything else (or no answer within the timeout)
// retries it later with exponential backoff (1 s doubling to 1 min, with jitter). An alert's
// notifications are delivered in order: while its oldest waits, the newer ones wait behind it. The
// bound: MAX_PENDING per alert and MAX_AGE_MS; past them a notification is dropped, and that is
// written in the history. Every attempt is in the history too.
import type { Logger } from "pino";
import type { AlertCatalog } from "./catalog.js";
import type { AlertDef, PendingDelivery } from "./model.js";
import { SIGNATURE_HEADER, signature } from "./payload.js";

export const MAX_PENDING = 1000;
export const MAX_AGE_MS = 24 * 3600_000;
export const REQUEST_TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 60_000;
const ROUND = 32;

export interface DeliveryMetrics {
  delivered(): void;
  failed(): void;
}

export function backoffMs(attempts: number, random = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export class Delivery {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly inFlight = new Set<AbortController>();

  constructor(
    private readonly catalog: AlertCatalog,
    private readonly alertOf: (id: string) => AlertDef | undefined,
    private readonly logger: Logger,
    private readonly metrics: DeliveryMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), 1000);
    this.timer.unref();
    this.kick();
  }

  /** Queues a notification (dropped, with a history entry, when its alert already has MAX_PENDING waiting). */
  enqueue(alert: AlertDef, state: string, contentType: string, body: string): void {
    const now = this.now();
    if (this.catalog.pending(alert.id) >= MAX_PENDING) {
      this.catalog.addHistory(alert.id, { atMs: now, kind: "dropped", detail: { state, reason: `${MAX_PENDING} notifications already wait for the receiver` } });
      this.metrics.failed();
      return;
    }
    this.catalog.enqueue({ alertId: alert.id, createdMs: now, attempts: 0, nextAttemptMs: now, contentType, body, state });
    this.kick();
  }

  /** Runs a delivery round now (and another right after when one is running). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const c of this.inFlight) c.abort();
    await this.running;
  }

  private async round(): Promise<void> {
    const due = this.catalog.due(this.now(), ROUND);
    if (due.length === 0) return;
    const results = await Promise.all(due.map((d) => this.attempt(d)));
    if (results.some((ok) => ok)) this.again = true;
  }

  /** True when delivered (or dropped: nothing more to do for it). */
  private async attempt(d: PendingDelivery): Promise<boolean> {
    const alert = this.alertOf(d.alertId);
    if (!alert) {
      this.catalog.remove(d.id);
      return true;
    }
    const now = this.now();
    if (now - d.createdMs > MAX_AGE_MS) {
      this.catalog.remove(d.id);
      this.catalog.addHistory(alert.id, { atMs: now, kind: "dropped", detail: { state: d.state, attempts: d.attempts, reason: `undelivered for ${MAX_AGE_MS / 3600_000} h` } });
      return true;
    }
    const attempt = d.attempts + 1;
    const headers: Record<string, string> = {
      "content-type": d.contentType, "user-agent": "logharbor-alerts", "x-logharbor-notification-id": `${alert.id}-${d.id}`,
    };
    if (alert.secret) headers[SIGNATURE_HEADER] = signature(alert.secret, d.body);
    const ctl = new AbortController();
    this.inFlight.add(ctl);
    const timer = setTimeout(() => ctl.abort(), REQUEST_TIMEOUT_MS);
    let problem: string | undefined;
    let status: number | undefined;
    try {
      const res = await fetch(alert.webhook, { method: "POST", headers, body: d.body, signal: ctl.signal, redirect: "manual" });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status > 299) problem = `the receiver answered ${res.status}`;
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      problem = ctl.signal.aborted ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : (cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e)));
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(ctl);
    }
    const at = this.now();
    if (problem === undefined) {
      this.catalog.remove(d.id);
      this.catalog.addHistory(alert.id, { atMs: at, kind: "delivered", detail: { state: d.state, attempt, status, queued_ms: at - d.createdMs } });
      this.metrics.delivered();
      return true;
    }
    if (this.stopped) return false; // aborted by stop(): tried again at the next start
    const next = at + backoffMs(attempt);
    this.catalog.retryLater(d.id, attempt, next);
    this.catalog.addHistory(alert.id, { atMs: at, kind: "delivery_failed", detail: { state: d.state, attempt, error: problem, retry_at: new Date(next).toISOString() } });
    this.metrics.failed();
    this.logger.warn({ alert: alert.name, attempt, error: problem }, "alert notification not delivered; will retry");
    return false;
  }
}
