import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { encodeExportEntry } from "../../../core/journal/export-encoder.js";
import { silentLogger } from "../../logger.js";
import { StdoutSink } from "../stdout/sink.js";
import { batchBody, serviceEntry } from "../testing.js";
import { FileSink } from "./sink.js";

const dir = () => mkdtempSync(join(tmpdir(), "lh-file-"));

test("file: each entry is one JSON line as journalctl -o json writes it, binary values as byte arrays", async () => {
  const path = join(dir(), "out.ndjson");
  const s = new FileSink({ path, display: `file://${path}`, maxBytes: 1 << 20, maxFiles: 2, log: silentLogger() });
  const binary = Buffer.concat([encodeExportEntry([["MESSAGE", Buffer.from([0x68, 0x69, 0xff])], ["TAG", "a"], ["TAG", "b"]])]);
  assert.deepEqual(await s.send(Buffer.concat([batchBody([serviceEntry("GET / 200\nsecond line")]), binary]), 2), { accepted: 2, duplicates: 0 });
  s.close();
  const lines = readFileSync(path, "utf8").split("\n");
  assert.equal(lines.length, 3);
  assert.equal(lines[2], "");
  const first = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(first["MESSAGE"], "GET / 200\nsecond line");
  assert.equal(first["_SYSTEMD_UNIT"], "nginx.service");
  assert.deepEqual(JSON.parse(lines[1]!), { MESSAGE: [0x68, 0x69, 0xff], TAG: ["a", "b"] });
});

test("file: the file is rotated by size, keeping max_files older files", async () => {
  const d = dir();
  const path = join(d, "out.ndjson");
  const s = new FileSink({ path, display: `file://${path}`, maxBytes: 400, maxFiles: 2, log: silentLogger() });
  for (let i = 0; i < 6; i++) await s.send(batchBody([serviceEntry(`batch ${i} ${"x".repeat(100)}`)]), 1);
  s.close();
  assert.deepEqual(readdirSync(d).sort(), ["out.ndjson", "out.ndjson.1", "out.ndjson.2"]);
  const read = (f: string) => readFileSync(join(d, f), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { MESSAGE: string }).MESSAGE.slice(0, 7));
  const kept = [...read("out.ndjson.2"), ...read("out.ndjson.1"), ...read("out.ndjson")];
  const all = [0, 1, 2, 3, 4, 5].map((i) => `batch ${i}`);
  assert.ok(kept.length < all.length, "the oldest file was deleted");
  assert.deepEqual(kept, all.slice(-kept.length), "the newest lines kept, in order across the files");
  assert.ok(s.file.rotations >= 2);
  for (const f of readdirSync(d)) assert.ok(readFileSync(join(d, f)).length <= 400, `${f} within max_bytes`);
});

test("stdout: entries are written as JSON lines and acknowledged once written", async () => {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const s = new StdoutSink(out);
  assert.deepEqual(await s.send(batchBody([serviceEntry("a"), serviceEntry("b")]), 2), { accepted: 2, duplicates: 0 });
  assert.deepEqual(Buffer.concat(chunks).toString().trim().split("\n").map((l) => (JSON.parse(l) as { MESSAGE: string }).MESSAGE), ["a", "b"]);
});
