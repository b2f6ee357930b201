// A real `logharbor serve` stopped by SIGTERM while token TCP senders are held back by its queue:
// every line it took is committed before it exits, and nothing is stored cut short or out of order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { SqliteStore } from "../../src/server/storage/sqlite/sqlite-store.js";
import { tempDir } from "../harness/paths.js";
import { startServe, waitFor } from "../harness/processes.js";

/** Sum of a metric's samples whose labels include `labels`, from /metrics. */
async function metric(url: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) continue;
    if (want.every((w) => line.includes(w))) total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

function send(port: number, token: string, c: number, lines: number): Socket {
  const sock = connect(port, "127.0.0.1");
  sock.on("error", () => {}); // the server goes away mid-stream
  const pad = "p".repeat(200);
  void (async () => {
    await new Promise((r) => sock.once("connect", r));
    for (let i = 0; i < lines && !sock.destroyed; i += 100) {
      let chunk = "";
      for (let k = i; k < Math.min(lines, i + 100); k++) chunk += `${token} c${c} ${k} ${pad}\n`;
      if (!sock.write(chunk)) await new Promise((r) => { sock.once("drain", r); sock.once("close", r); });
    }
  })();
  return sock;
}

test("serve stopped by SIGTERM while senders are held back commits every line it took: each connection's lines are stored as an unbroken prefix, none cut short", async () => {
  const t = tempDir();
  const data = join(t.path, "data");
  const serve = await startServe(data, ["--tcp", "127.0.0.1:0", "--max-queued-bytes", "65536"]);
  const socks: Socket[] = [];
  try {
    const port = Number(await waitFor("the token TCP port", () => /token-tcp listening on \S+:(\d+)/.exec(serve.stdout())?.[1]));
    const created = (await (await fetch(`${serve.url}/api/v1/logs`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"a"}' })).json()) as { log: { token: string } };
    const LINES = 20_000; // ~4.6 MB per connection, 70x the queue bound
    for (const c of [0, 1]) socks.push(send(port, created.log.token, c, LINES));
    await waitFor("the server holding a sender back", async () => (await metric(serve.url, "logharbor_ingest_paused_total", { protocol: "token-tcp" })) >= 1 || undefined, 60_000);
    // What the server has taken at this moment: committed, plus accepted and waiting for the writer.
    const taken = (await metric(serve.url, "logharbor_ingest_lines_total", { result: "accepted" })) + (await metric(serve.url, "logharbor_ingest_queued_lines"));
    serve.child.kill("SIGTERM");
    assert.equal(await serve.exited, 0, serve.stderr());

    const store = SqliteStore.open(data);
    try {
      const log = store.logByName("a")!;
      const events = store.search({ logIds: [log.id], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, limit: 1_000_000, order: "asc" }).events;
      console.log(`# ${taken} lines taken before SIGTERM, ${events.length} stored`);
      assert.ok(events.length >= taken, `every line taken before the signal is stored (${events.length} stored, ${taken} taken)`);
      for (const c of [0, 1]) {
        const mine = events.map((e) => e.message.split(" ")).filter((w) => w[0] === `c${c}`);
        assert.ok(mine.every((w) => w.length === 3 && w[2]!.length === 200), `connection ${c}: no line stored cut short`);
        const seq = mine.map((w) => Number(w[1]));
        assert.deepEqual(seq, Array.from({ length: seq.length }, (_, i) => i), `connection ${c}: lines 0..${seq.length - 1}, in order, none missing or repeated`);
      }
    } finally {
      await store.close();
    }
  } finally {
    for (const s of socks) s.destroy();
    if (serve.child.exitCode === null) serve.child.kill("SIGKILL");
    t.dispose();
  }
});
