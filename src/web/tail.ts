// Live tail over Server-Sent Events, read with fetch (so the x-api-key header can be sent, which
// EventSource cannot). Events are handed over in batches at most every `flushMs`. Above `maxRate`
// events/s the server sends only a sample (1 in N, GET /api/v1/tail?max_rate=) and says so every
// second (`event: stats`): the page never receives, parses or draws more than it can show.
// When the stream ends or breaks (a server restart, a network cut), it reconnects with a growing
// delay (0.5 s doubling to 10 s) and resumes after the last event received (last_event_id: the
// server first sends what was stored meanwhile, `event: resumed` says how many). An answer that
// refuses the tail (a 4xx: a statistics query, a bad query, an unknown log) is final: onError.
import { errorOf, headers, type ApiError } from "./api.js";
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
  /** The stream was lost; a new attempt starts in `retryMs`. */
  onLost?(reason: string, retryMs: number): void;
  /** Reconnected: `resumed` entries were stored while disconnected (`skipped` more not sent). */
  onResumed?(resumed: number, skipped: number): void;
  /** Final: the server refused the tail. */
  onError(e: Error): void;
  flushMs?: number;
  maxRate?: number;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

export function startTail(o: TailOptions): () => void {
  const ctrl = new AbortController();
  const flushMs = o.flushMs ?? 250;
  const maxRate = o.maxRate ?? 5000;
  let pending: QueryEventJson[] = [];
  let rate = 0;
  let sampling = 1;
  let lastId: string | undefined;
  let retry = FIRST_RETRY_MS;

  const timer = setInterval(() => {
    const events = pending;
    pending = [];
    o.onBatch({ events, rate, sampling });
  }, flushMs);

  const take = (data: string, id: string | undefined) => {
    try {
      pending.push(JSON.parse(data) as QueryEventJson);
      if (id) lastId = id;
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

  const connect = async (): Promise<void> => {
    const params = new URLSearchParams();
    if (o.query) params.set("query", o.query);
    if (o.log) params.set("log", o.log);
    params.set("max_rate", String(maxRate));
    if (lastId) params.set("last_event_id", lastId);
    const res = await fetch(`/api/v1/tail?${params}`, { headers: headers({ accept: "text/event-stream" }), signal: ctrl.signal });
    if (!res.ok || !res.body) throw await errorOf(res);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value;
      let sep: number;
      while ((sep = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, sep);
        buf = buf.slice(sep + 2);
        let event = "message";
        let data = "";
        let id: string | undefined;
        let ready = false;
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data += (data ? "\n" : "") + line.slice(5).replace(/^ /, "");
          else if (line.startsWith("id:")) id = line.slice(3).trim();
          else if (line === ": ready") ready = true;
        }
        if (ready) {
          retry = FIRST_RETRY_MS;
          rate = 0;
          o.onOpen?.();
        }
        if (event === "event" && data) take(data, id);
        else if (event === "stats" && data) stats(data);
        else if (event === "resumed" && data) {
          try {
            const r = JSON.parse(data) as { resumed: number; skipped: number };
            o.onResumed?.(r.resumed, r.skipped);
          } catch {
            /* ignored */
          }
        }
      }
    }
  };

  void (async () => {
    while (!ctrl.signal.aborted) {
      let reason = "the server ended the stream (restarting?)";
      try {
        await connect();
      } catch (e) {
        if (ctrl.signal.aborted) return;
        const status = (e as ApiError).status;
        if (typeof status === "number" && status >= 400 && status < 500) {
          o.onError(e as Error);
          return;
        }
        reason = (e as Error).message || "the connection broke";
      }
      if (ctrl.signal.aborted) return;
      rate = 0;
      o.onLost?.(reason, retry);
      await new Promise((r) => setTimeout(r, retry));
      retry = Math.min(MAX_RETRY_MS, retry * 2);
    }
  })();

  return () => {
    ctrl.abort();
    clearInterval(timer);
  };
}
