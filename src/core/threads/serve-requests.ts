// The body side of request-thread.ts: answers each request with what `handle` returns (or the error
// it throws), in order; on close, calls `close` and ends the thread.
import { parentPort } from "node:worker_threads";
import { errorJson } from "./errors.js";
import type { CloseRequest, ThreadReply } from "./request-thread.js";

export function serveRequests<R extends { id: number }>(handle: (req: R) => unknown, close: () => void): void {
  const port = parentPort;
  if (port === null) throw new Error("serveRequests runs only in a worker thread");
  port.on("message", (m: R | CloseRequest) => {
    if ("kind" in m && m.kind === "close" && !("id" in m)) {
      close();
      port.close();
      return;
    }
    const req = m as R;
    let reply: ThreadReply;
    try {
      reply = { id: req.id, ok: true, result: handle(req) };
    } catch (e) {
      reply = { id: req.id, ok: false, error: errorJson(e) };
    }
    port.postMessage(reply);
  });
}
