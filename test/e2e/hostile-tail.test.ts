// Live-tail clients that stop reading, against a real server: the server never buffers for them
// without bound. Ten tails that never read while 100,000 lines of 600 bytes (60 MB) arrive: the
// server's memory grows no more than for the same flood without tails, measured first in the same
// run (kept for each tail, the events were 10 x 60 MB and more), /healthz and ingest are answered
// throughout, and a tail that reads again is told how many events it missed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { healthy, ingestLine, rssOf, startTarget, stored, type Target } from "../harness/hostile.js";
import { waitFor } from "../harness/processes.js";

const MiB = 1024 * 1024;

/** A tail request over a raw socket that then stops reading. */
async function stalledTail(port: number): Promise<Socket> {
  const s = connect({ port, host: "127.0.0.1" });
  s.on("error", () => {});
  await new Promise((r) => s.once("connect", r));
  let head = "";
  s.write("GET /api/v1/tail?query= HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  await new Promise<void>((resolve) => {
    const on = (d: Buffer) => {
      head += d.toString();
      if (head.includes(": ready")) {
        s.off("data", on);
        s.pause();
        resolve();
      }
    };
    s.on("data", on);
  });
  return s;
}

/** Sends 100,000 lines of 600 bytes over token TCP in 10 rounds, checking /healthz and the webhook between rounds; returns the peak RSS seen. */
async function flood(t: Target, tag: string): Promise<number> {
  const tcp = connect({ port: t.tcpPort!, host: "127.0.0.1" });
  tcp.on("error", () => {});
  await new Promise((r) => tcp.once("connect", r));
  const pad = "x".repeat(560);
  let maxRss = 0;
  for (let round = 0; round < 10; round++) {
    let chunk = "";
    for (let i = 0; i < 10_000; i++) chunk += `${t.token} ${tag}${round} l${i} ${pad}\n`;
    if (!tcp.write(chunk)) await new Promise((r) => tcp.once("drain", r));
    assert.ok(await healthy(t), `healthz in round ${round}`);
    assert.equal(await ingestLine(t, `probe ${tag}${round}`), 204);
    maxRss = Math.max(maxRss, rssOf(t.serve.child.pid!));
  }
  tcp.end();
  await stored(t, `probe ${tag}9`);
  await waitFor("the last TCP line stored", async () => {
    const r = await fetch(`${t.serve.url}/api/v1/events?q=${encodeURIComponent(`${tag}9 l9999`)}&limit=1`);
    return (((await r.json()) as { events: unknown[] }).events.length > 0) || undefined;
  }, 300_000);
  return Math.max(maxRss, rssOf(t.serve.child.pid!));
}

test("ten tails that stop reading cannot grow the server's memory without bound; a tail that reads again gets event: dropped", { timeout: 900_000 }, async () => {
  const t = await startTarget(["--tcp", "127.0.0.1:0", "--tls", "off"]);
  const tails: Socket[] = [];
  try {
    const port = Number(new URL(t.serve.url).port);
    // The reference, in the same run: the growth of the same flood with no tail at all (caches, queues).
    const rss0 = rssOf(t.serve.child.pid!);
    const plain = (await flood(t, "a")) - rss0;
    for (let i = 0; i < 10; i++) tails.push(await stalledTail(port));
    const rss1 = rssOf(t.serve.child.pid!);
    const tailed = (await flood(t, "b")) - rss1;
    // Kept for ten tails, 60 MB of lines would be over 600 MiB more.
    assert.ok(tailed < Math.max(plain, 0) + 150 * MiB, `with 10 stalled tails the flood grew RSS ${(tailed / MiB).toFixed(0)} MiB; without tails, ${(plain / MiB).toFixed(0)} MiB`);
    // One tail reads again: after what was waiting in its connection, it is told what it missed.
    const s = tails[0]!;
    let text = "";
    s.on("data", (d: Buffer) => (text += d.toString("latin1")));
    s.resume();
    const dropped = await waitFor("event: dropped", () => /event: dropped\ndata: \{"dropped":(\d+)\}/.exec(text)?.[1], 120_000);
    assert.ok(Number(dropped) > 0);
  } finally {
    for (const s of tails) s.destroy();
    await t.stop();
  }
});
