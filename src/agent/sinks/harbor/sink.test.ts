import { test } from "node:test";
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { HarborSink, type RetryInfo } from "./sink.js";
import { LogharborError } from "../../../core/errors.js";
import { startAckReceiver, type AckReceiverOptions } from "../../../../test/harness/ack-receiver.js";
import { captureLogger } from "../../../../test/harness/capture-logger.js";
import { exportText } from "../../../../test/harness/journal.js";
import { realisticEntries } from "../../../../test/harness/journal-entries.js";

const TOKEN = "secret-token-4f1c9d";

async function withSink(
  recvOpts: AckReceiverOptions,
  fn: (s: { sink: HarborSink; retries: RetryInfo[]; logs: string }) => Promise<void>,
  compression?: "gzip" | "none",
) {
  const recv = await startAckReceiver(recvOpts);
  const cap = captureLogger();
  const retries: RetryInfo[] = [];
  const sink = new HarborSink({
    ingestUrl: new URL(`${recv.url}/api/v1/ingest/journal`),
    token: TOKEN,
    display: recv.url,
    log: cap.log,
    backoff: { initialMs: 10, maxMs: 50 },
    onRetry: (r) => retries.push(r),
    ...(compression !== undefined ? { compression } : {}),
  });
  try {
    await fn({ sink, retries, get logs() { return JSON.stringify(cap.lines); } } as never);
  } finally {
    sink.close();
    await recv.close();
  }
  return recv;
}

test("posts the batch gzip'd with the bearer token and returns the server's acknowledgement", async () => {
  const body = exportText(realisticEntries(0, 20));
  const recv = await withSink({}, async ({ sink }) => {
    const ack = await sink.send(body, 20);
    assert.deepEqual(ack, { accepted: 20, duplicates: 0, lastCursor: undefined });
  });
  const req = recv.requests[0]!;
  assert.equal(req.url, "/api/v1/ingest/journal");
  assert.equal(req.authorization, `Bearer ${TOKEN}`);
  assert.equal(req.contentType, "application/vnd.fdo.journal");
  assert.equal(req.contentEncoding, "gzip");
  assert.ok(gunzipSync(req.raw).equals(body), "the body is the entries' export bytes");
});

test("with compression none, posts the export bytes as they are (Content-Encoding: identity)", async () => {
  const body = exportText(realisticEntries(0, 20));
  const recv = await withSink({}, async ({ sink }) => {
    const ack = await sink.send(body, 20);
    assert.equal(ack.accepted, 20);
  }, "none");
  const req = recv.requests[0]!;
  assert.equal(req.contentEncoding, "identity");
  assert.ok(req.raw.equals(body), "the body is the entries' export bytes, uncompressed");
});

test("retries a 503 after the Retry-After delay, a 429 and a dropped connection with backoff", async () => {
  const body = exportText(realisticEntries(0, 3));
  const answers: Record<number, { status: number; headers?: Record<string, string> }> = {
    1: { status: 503, headers: { "retry-after": "1" } },
    2: { status: 429 },
    3: { status: 0 },
  };
  const recv = await withSink({ respond: (r) => answers[r.n] }, async ({ sink, retries, logs }) => {
    const ack = await sink.send(body, 3);
    assert.equal(ack.accepted, 3);
    assert.deepEqual(retries.map((r) => r.reason.replace(/:.*/, "")), ["HTTP 503", "HTTP 429", "network error"]);
    assert.equal(retries[0]!.delayMs, 1000, "Retry-After: 1 honoured");
    assert.ok(retries[1]!.delayMs <= 50 && retries[2]!.delayMs <= 50, "exponential backoff, capped");
    assert.ok(!logs.includes(TOKEN), "the token never reaches our logs");
  });
  assert.equal(recv.requests.length, 4);
  assert.ok(recv.requests.every((r) => r.raw.equals(recv.requests[0]!.raw)), "every attempt sends the same batch");
});

test("stops on a refused batch (403) with a clear error that does not contain the token", async () => {
  const recv = await withSink({ token: "another-token" }, async ({ sink, retries }) => {
    await assert.rejects(
      sink.send(exportText(realisticEntries(0, 2)), 2),
      (e: unknown) =>
        e instanceof LogharborError &&
        e.code === "LH_ERR_SINK" &&
        /got 403 LH_ERR_TOKEN_UNKNOWN/.test(e.message) &&
        /check --token/.test(e.message) &&
        !e.message.includes(TOKEN),
    );
    assert.deepEqual(retries, [], "a 403 is not retried");
  });
  assert.equal(recv.requests.length, 1);
});
