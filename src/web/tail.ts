// Live tail over Server-Sent Events, read with fetch (so the x-api-key header can be sent, which
// EventSource cannot). Events are handed over in batches at most every `flushMs`; above
// `maxRate` events/s only a sample is kept (1 in N) and the batch says so.
import { errorOf, headers } from "./api.js";
import type { EventJson } from "./types.js";

export interface TailBatch {
  events: EventJson[];
  /** Events received per second, over the last second or so. */
  rate: number;
  /** 1 = every event shown; N = one in N. */
  sampling: number;
}

export interface TailOptions {
  query: string;
  log?: string | undefined;
  onBatch(b: TailBatch): void;
  onOpen?(): void;
  onError(e: Error): void;
  flushMs?: number;
  maxRate?: number;
}

export function startTail(o: TailOptions): () => void {
  const ctrl = new AbortController();
  const flushMs = o.flushMs ?? 250;
  const maxRate = o.maxRate ?? 5000;
  let pending: EventJson[] = [];
  let received = 0;
  let windowStart = performance.now();
  let windowCount = 0;
  let rate = 0;
  let sampling = 1;
  let seen = 0;

  const timer = setInterval(() => {
    const now = performance.now();
    if (now - windowStart >= 1000) {
      rate = (windowCount * 1000) / (now - windowStart);
      windowStart = now;
      windowCount = 0;
      sampling = rate > maxRate ? Math.ceil(rate / maxRate) : 1;
    }
    const events = pending;
    pending = [];
    o.onBatch({ events, rate, sampling });
  }, flushMs);

  const take = (data: string) => {
    received++;
    windowCount++;
    if (sampling > 1 && seen++ % sampling !== 0) return;
    try {
      pending.push(JSON.parse(data) as EventJson);
    } catch {
      /* a malformed event is skipped */
    }
  };

  void (async () => {
    const params = new URLSearchParams();
    if (o.query) params.set("query", o.query);
    if (o.log) params.set("log", o.log);
    try {
      const res = await fetch(`/api/v1/tail?${params}`, { headers: headers({ accept: "text/event-stream" }), signal: ctrl.signal });
      if (!res.ok || !res.body) throw await errorOf(res);
      o.onOpen?.();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let sep: number;
        while ((sep = buf.indexOf("\n\n")) >= 0) {
          const block = buf.slice(0, sep);
          buf = buf.slice(sep + 2);
          let event = "message";
          let data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("event:")) event = line.slice(6).trim();
            else if (line.startsWith("data:")) data += (data ? "\n" : "") + line.slice(5).replace(/^ /, "");
          }
          if (event === "event" && data) take(data);
        }
      }
      if (!ctrl.signal.aborted) o.onError(new Error("the live tail ended (server stopped?)"));
    } catch (e) {
      if (!ctrl.signal.aborted) o.onError(e instanceof Error ? e : new Error(String(e)));
    }
  })();

  return () => {
    ctrl.abort();
    clearInterval(timer);
    void received;
  };
}
