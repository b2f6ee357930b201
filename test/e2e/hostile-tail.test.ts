// Live-tail clients that stop reading, against a real server: the server never buffers for them
// without bound. Five tails that never read while 100,000 lines of 600 bytes (60 MB) arrive: the
// server's memory stays bounded (a tail's events were kept: 5 x 60 MB and more), /healthz and ingest
// are answered throughout, and a tail that reads again is told how many events it missed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { healthy, ingestLine, rssOf, startTarget, stored } from "../harness/hostile.js";
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

test("five tails that stop reading cannot grow the server's memory without bound; a tail that reads again gets event: dropped", { timeout: 600_000 }, async () => {
  const t = await startTarget(["--tcp", "127.0.0.1:0", "--tls", "off"]);
  const tails: Socket[] = [];
  try {
    const port = Number(new URL(t.serve.url).port);
    for (let i = 0; i < 5; i++) tails.push(await stalledTail(port));
    const rss0 = rssOf(t.serve.child.pid!);
    // 100,000 lines of 600 bytes over token TCP, in 10 rounds; /healthz and the webhook answered between them.
    const tcp = connect({ port: t.tcpPort!, host: "127.0.0.1" });
    tcp.on("error", () => {});
    await new Promise((r) => tcp.once("connect", r));
    const pad = "x".repeat(560);
    let maxRss = rss0;
    for (let round = 0; round < 10; round++) {
      let chunk = "";
      for (let i = 0; i < 10_000; i++) chunk += `${t.token} r${round} l${i} ${pad}\n`;
      if (!tcp.write(chunk)) await new Promise((r) => tcp.once("drain", r));
      assert.ok(await healthy(t), `healthz in round ${round}`);
      assert.equal(await ingestLine(t, `probe ${round}`), 204);
      maxRss = Math.max(maxRss, rssOf(t.serve.child.pid!));
    }
    tcp.end();
    await stored(t, "probe 9");
    await waitFor("the last TCP line stored", async () => {
      const r = await fetch(`${t.serve.url}/api/v1/events?q=${encodeURIComponent("r9 l9999")}&limit=1`);
      return (((await r.json()) as { events: unknown[] }).events.length > 0) || undefined;
    }, 300_000);
    maxRss = Math.max(maxRss, rssOf(t.serve.child.pid!));
    assert.ok(maxRss - rss0 < 200 * MiB, `server RSS grew ${((maxRss - rss0) / MiB).toFixed(0)} MiB with 5 stalled tails (their events, kept: > 300 MiB)`);
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
