import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEsReceiver } from "../../../../test/harness/es-receiver.js";
import { startLokiReceiver } from "../../../../test/harness/loki-receiver.js";
import { realisticEntries } from "../../../../test/harness/journal-entries.js";
import { encodeExportEntry } from "../../../core/journal/export-encoder.js";
import { parseExport } from "../../../core/journal/export-parser.js";
import { silentLogger } from "../../logger.js";
import { ElasticsearchSink } from "../../sinks/elasticsearch/sink.js";
import { FileSink } from "../../sinks/file/sink.js";
import { DEFAULT_LOKI_LABELS } from "../../sinks/loki/labels.js";
import { LokiSink } from "../../sinks/loki/sink.js";
import { Router } from "./route.js";

test("route: one journal shipped to Loki, Elasticsearch and a file with different filters; each receives exactly its share", async () => {
  const loki = await startLokiReceiver();
  const es = await startEsReceiver();
  const path = join(mkdtempSync(join(tmpdir(), "lh-route-")), "all.ndjson");
  const sinks = [
    new LokiSink({ url: new URL(loki.url), display: "loki", labels: DEFAULT_LOKI_LABELS, maxLabelValues: 100, line: "message", log: silentLogger() }),
    new ElasticsearchSink({ url: new URL(es.url), display: "es", indexTemplate: "logs-%Y.%m.%d", log: silentLogger() }),
    new FileSink({ path, display: "file", maxBytes: 1 << 30, maxFiles: 1, log: silentLogger() }),
  ];
  const router = new Router([
    { sink: "loki", filter: { priority: "emerg..err" } },
    { sink: "es", filter: { units: { include: ["nginx", "sshd"] } } },
    { sink: "file" },
  ]);
  try {
    const journal = parseExport(Buffer.concat([...realisticEntries(0, 1000)].map((f) => encodeExportEntry(f))));
    for (let i = 0; i < journal.length; i += 250) {
      const shares = router.split(journal.slice(i, i + 250));
      await Promise.all(shares.map((share, s) => sinks[s]!.send(Buffer.concat(share.map((e) => e.raw)), share.length)));
    }
    const seqs = (pred: (e: (typeof journal)[number]) => boolean) => journal.filter(pred).map((e) => e.get("SEQ"));
    const errors = seqs((e) => Number(e.get("PRIORITY")) <= 3);
    const web = seqs((e) => ["nginx.service", "sshd.service"].includes(e.get("_SYSTEMD_UNIT")!));
    assert.ok(errors.length > 0 && errors.length < 1000 && web.length > 0 && web.length < 1000);

    const lokiMessages = [...loki.streams.values()].flatMap((s) => s.values.map((v) => v[1]));
    assert.deepEqual(lokiMessages.sort(), journal.filter((e) => Number(e.get("PRIORITY")) <= 3).map((e) => e.get("MESSAGE")!).sort());
    const esSeqs = [...es.indices.values()].flatMap((ix) => [...ix.values()].map((d) => (d["journal"] as Record<string, string>)["SEQ"]));
    assert.deepEqual(esSeqs.sort(), [...web].sort());
    const fileSeqs = readFileSync(path, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { SEQ: string }).SEQ);
    assert.deepEqual(fileSeqs, journal.map((e) => e.get("SEQ")));
    assert.deepEqual(router.routed, [errors.length, web.length, 1000]);
  } finally {
    for (const s of sinks) s.close();
    await loki.close();
    await es.close();
  }
});
