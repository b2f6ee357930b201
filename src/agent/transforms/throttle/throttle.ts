// throttle: a token bucket per key (unit, container, host, or any field): `rate_per_s` tokens a
// second, up to `burst`. An entry without a token is dropped and counted; when a key's dropping
// ends (on its next kept entry, or at flush after a quiet second), one summary entry says
// "N entries from KEY dropped by rate limit", with the host, the key's field and PRIORITY=4.
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { FIELD_BOOT_ID, FIELD_CONTAINER_NAME, FIELD_HOSTNAME, FIELD_MESSAGE, FIELD_PRIORITY, FIELD_REALTIME_TIMESTAMP, FIELD_SYSLOG_IDENTIFIER, FIELD_SYSTEMD_UNIT } from "../../../core/journal/fields.js";
import type { ExportField } from "../../../core/journal/export-encoder.js";
import { fromFields } from "../edit.js";
import type { Transform } from "../transform.js";

export const THROTTLE_KEYS = { unit: FIELD_SYSTEMD_UNIT, container: FIELD_CONTAINER_NAME, host: FIELD_HOSTNAME } as const;

export interface ThrottleSpec {
  /** unit, container, host, or a journal field name (default unit). */
  key?: string;
  rate_per_s: number;
  /** Entries a key may send at once after being quiet (default: rate_per_s). */
  burst?: number;
}

interface Bucket {
  tokens: number;
  lastMs: number;
  dropped: number;
  host: string | undefined;
  bootId: string | undefined;
}

const MAX_KEYS = 100_000;

export class ThrottleTransform implements Transform {
  readonly name: string;
  readonly held = 0;
  dropped = 0;
  summaries = 0;
  private readonly field: string;
  private readonly label: string;
  private readonly rate: number;
  private readonly burst: number;
  private readonly buckets = new Map<string, Bucket>();
  private readonly clock: () => number;

  constructor(spec: ThrottleSpec, name = "throttle", clock: () => number = Date.now) {
    this.name = name;
    this.label = spec.key ?? "unit";
    this.field = (THROTTLE_KEYS as Record<string, string>)[this.label] ?? this.label;
    this.rate = spec.rate_per_s;
    this.burst = spec.burst ?? spec.rate_per_s;
    this.clock = clock;
  }

  process(entry: ExportEntry, out: ExportEntry[]): void {
    const key = entry.get(this.field) ?? "";
    const now = this.clock();
    let b = this.buckets.get(key);
    if (b === undefined) {
      if (this.buckets.size >= MAX_KEYS) this.evictIdle(now, out);
      b = { tokens: this.burst, lastMs: now, dropped: 0, host: undefined, bootId: undefined };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(this.burst, b.tokens + ((now - b.lastMs) / 1000) * this.rate);
      b.lastMs = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      if (b.dropped > 0) this.summarize(key, b, entry.get(FIELD_REALTIME_TIMESTAMP), out);
      out.push(entry);
      return;
    }
    if (b.dropped === 0) {
      b.host = entry.get(FIELD_HOSTNAME);
      b.bootId = entry.get(FIELD_BOOT_ID);
    }
    b.dropped++;
    this.dropped++;
  }

  /** Summaries for keys that dropped entries and have been quiet for a second (all with force). */
  flush(nowMs: number, out: ExportEntry[], force: boolean): void {
    for (const [key, b] of this.buckets) {
      if (b.dropped > 0 && (force || nowMs - b.lastMs >= 1000)) this.summarize(key, b, String(nowMs * 1000), out);
    }
  }

  counters(): Record<string, number> {
    return { dropped: this.dropped, summaries: this.summaries, keys: this.buckets.size };
  }

  private summarize(key: string, b: Bucket, realtimeUs: string | undefined, out: ExportEntry[]): void {
    const fields: ExportField[] = [];
    if (realtimeUs !== undefined) fields.push([FIELD_REALTIME_TIMESTAMP, realtimeUs]);
    if (b.bootId !== undefined) fields.push([FIELD_BOOT_ID, b.bootId]);
    if (b.host !== undefined) fields.push([FIELD_HOSTNAME, b.host]);
    fields.push([FIELD_PRIORITY, "4"], [FIELD_SYSLOG_IDENTIFIER, "logharbor"]);
    if (key !== "" && this.field !== FIELD_HOSTNAME) fields.push([this.field, key]);
    fields.push(["LOGHARBOR_DROPPED", String(b.dropped)]);
    fields.push([FIELD_MESSAGE, `${b.dropped} entries from ${key === "" ? `(no ${this.label})` : key} dropped by rate limit`]);
    out.push(fromFields(fields));
    this.summaries++;
    b.dropped = 0;
  }

  private evictIdle(now: number, out: ExportEntry[]): void {
    for (const [key, b] of this.buckets) {
      if (now - b.lastMs < 10_000) continue;
      if (b.dropped > 0) this.summarize(key, b, String(now * 1000), out);
      this.buckets.delete(key);
    }
  }
}
