// A pino logger whose lines a test can read and wait for ("the source has resolved its start").
import { Writable } from "node:stream";
import { pino, type Logger } from "pino";

export interface CapturedLog {
  log: Logger;
  lines: Record<string, unknown>[];
  /** Resolves once a line with this msg was logged. */
  waitFor(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

export function captureLogger(level = "debug"): CapturedLog {
  const lines: Record<string, unknown>[] = [];
  let waiters: (() => void)[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split("\n")) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      const w = waiters;
      waiters = [];
      for (const f of w) f();
      cb();
    },
  });
  const log = pino({ level }, stream);
  return {
    log,
    lines,
    async waitFor(msg, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const hit = lines.find((l) => l["msg"] === msg);
        if (hit) return hit;
        if (Date.now() > end) throw new Error(`no log line "${msg}" within ${timeoutMs} ms; got ${lines.map((l) => l["msg"]).join(" | ")}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100).unref();
        });
      }
    },
  };
}
