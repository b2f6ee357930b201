// Live tail over Server-Sent Events, read with fetch (so the x-api-key header can be sent, which
// EventSource cannot). Events are handed over in batches at most every `flushMs`. Above `maxRate`
// events/s the server sends only a sample (1 in N, GET /api/v1/tail?max_rate=) and says so every
// second (`event: stats`): the page never receives, parses or draws more than it can show.
import { errorOf, headers } from "./api.js";
import type { QueryEventJson } from "../core/api-json.js";

export interface TailBatch {
  events: QueryEventJson[];
  /** Events that matched per second, over the last second (as the server counts them, sampled or not). */
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
  let pending: QueryEventJson[] = [];
  let rate = 0;
  let sampling = 1;

  const timer = setInterval(() => {
    const events = pending;
    pending = [];
    o.onBatch({ events, rate, sampling });
  }, flushMs);

  const take = (data: string) => {
    try {
      pending.push(JSON.parse(data) as QueryEventJson);
    } catch {
      /* a malformed event is skipped */
    }
  };
  const stats = (data: string) => {
    try {
      const s = JSON.parse(data) as { rate?: unknown; sampling?: unknown };
      if (typeof s.rate === "number") rate = s.rate;
      if (typeof s.sampling === "number" && s.sampling >= 1) sampling = s.sampling;
    } catch {
      /* ignored */
    }
  };

  void (async () => {
    const params = new URLSearchParams();
    if (o.query) params.set("query", o.query);
    if (o.log) params.set("log", o.log);
    params.set("max_rate", String(maxRate));
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
          else if (event === "stats" && data) stats(data);
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
  };
}
