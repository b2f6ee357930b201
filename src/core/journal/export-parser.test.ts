import { test } from "node:test";
import assert from "node:assert/strict";
import { ExportParser, parseExport } from "./export-parser.js";
import { encodeExportEntry } from "./export-encoder.js";
import { journalIdentity } from "./cursor.js";
import { LogharborError } from "../errors.js";

const cursor = "s=db93973e065c4cb092634d1c6afd477b;i=1a;b=0123456789abcdef0123456789abcdef;m=3e8;t=60a24181e4000;x=68fb";
const binary = Buffer.from([0x62, 0x0a, 0x00, 0xff, 0x0a, 0x0a]);

function sample(): Buffer {
  return Buffer.concat([
    encodeExportEntry([
      ["__CURSOR", cursor],
      ["__REALTIME_TIMESTAMP", "1700000000000000"],
      ["MESSAGE", "hello wörld"],
      ["BIN", binary],
      ["MULTI", "a"],
      ["MULTI", "b"],
    ]),
    encodeExportEntry([["MESSAGE", "line one\nline two"]]),
  ]);
}

test("parses text and binary fields, repeated fields and multi-line messages", () => {
  const [a, b] = parseExport(sample());
  assert.ok(a && b);
  assert.equal(a.cursor, cursor);
  assert.equal(a.realtimeUs, 1700000000000000);
  assert.equal(a.get("MESSAGE"), "hello wörld");
  assert.deepEqual(a.getBytes("BIN"), binary);
  const m = a.toFieldMap();
  assert.deepEqual(m["MULTI"], ["a", "b"]);
  assert.ok(Buffer.isBuffer(m["BIN"]), "invalid UTF-8 stays bytes");
  assert.equal(b.get("MESSAGE"), "line one\nline two");
  assert.equal(journalIdentity(a), "s:db93973e065c4cb092634d1c6afd477b:1a");
});

test("gives the same entries whatever the chunk boundaries", () => {
  const data = sample();
  for (let size = 1; size <= data.length; size += 3) {
    const p = new ExportParser();
    const got = [];
    for (let i = 0; i < data.length; i += size) got.push(...p.push(data.subarray(i, i + size)));
    got.push(...p.end());
    assert.equal(got.length, 2, `chunk size ${size}`);
    assert.deepEqual(Buffer.concat(got.map((e) => e.raw)), data, `raw bytes kept at chunk size ${size}`);
  }
});

test("keeps an entry of several MiB whole", () => {
  const big = "x".repeat(3 * 1024 * 1024);
  const data = encodeExportEntry([["MESSAGE", big + "\n"]]);
  const p = new ExportParser();
  const got = [];
  for (let i = 0; i < data.length; i += 65536) got.push(...p.push(data.subarray(i, i + 65536)));
  assert.equal(got.length, 1);
  assert.equal(got[0]!.get("MESSAGE")!.length, big.length + 1);
});

test("rejects malformed input with a positioned, named error", () => {
  assert.throws(
    () => parseExport(Buffer.from("MESSAGE=ok\nbad name=x\n\n")),
    (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_EXPORT_FORMAT" && /field name/.test(e.message),
  );
  assert.throws(
    () => parseExport(Buffer.from("BIN\n\x03\0\0\0\0\0\0\0abcX\n\n", "latin1")),
    (e: unknown) => e instanceof LogharborError && /not followed by a newline/.test(e.message),
  );
  assert.throws(
    () => parseExport(Buffer.from("BIN\n\x03\0\0\0\0\0\0\0ab", "latin1")),
    (e: unknown) => e instanceof LogharborError && /ends inside an entry/.test(e.message),
  );
});

test("refuses an entry over the size limit instead of buffering without bound", () => {
  const p = new ExportParser({ maxEntryBytes: 1024 });
  assert.throws(
    () => p.push(Buffer.from(`MESSAGE=${"y".repeat(4096)}`)),
    (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_ENTRY_TOO_LARGE",
  );
});

/**
 * Bytes the parser copies and searches while `fn` runs: Buffer.concat, Buffer#copy and
 * Buffer#indexOf (up to what it found), counted in bytes (work, not time).
 */
function bytesWorked(fn: () => void): number {
  let n = 0;
  const concat = Buffer.concat;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const proto = Buffer.prototype as unknown as Record<string, (...a: any[]) => unknown>;
  const copy = proto["copy"]!;
  const indexOf = proto["indexOf"]!;
  Buffer.concat = ((list: readonly Uint8Array[], total?: number) => {
    n += total ?? list.reduce((a, b) => a + b.length, 0);
    return concat(list, total);
  }) as typeof Buffer.concat;
  proto["copy"] = function (this: Buffer, target: unknown, ts?: number, ss?: number, se?: number) {
    n += (se ?? this.length) - (ss ?? 0);
    return copy.call(this, target, ts, ss, se);
  };
  proto["indexOf"] = function (this: Buffer, v: unknown, from?: number) {
    const at = indexOf.call(this, v, from) as number;
    n += (at < 0 ? this.length : at + 1) - (from ?? 0);
    return at;
  };
  try {
    fn();
  } finally {
    Buffer.concat = concat;
    proto["copy"] = copy;
    proto["indexOf"] = indexOf;
  }
  return n;
}

test("parses in time linear in an entry's size however it is chunked: a 32 MiB field in 64 KiB chunks costs a few times 32 MiB of work, not its square", () => {
  const MiB = 1024 * 1024;
  const entry = Buffer.concat([Buffer.from("MESSAGE="), Buffer.alloc(32 * MiB, "x"), Buffer.from("\nA=b\n\n")]);
  const p = new ExportParser();
  const got: number[] = [];
  const work = bytesWorked(() => {
    for (let i = 0; i < entry.length; i += 64 * 1024) for (const e of p.push(entry.subarray(i, i + 64 * 1024))) got.push(e.get("MESSAGE")!.length);
  });
  assert.deepEqual(got, [32 * MiB]);
  assert.ok(work < 4 * entry.length, `${(work / MiB).toFixed(0)} MiB copied and searched for a ${(entry.length / MiB).toFixed(0)} MiB entry`);
  // Many small fields, many small chunks: the same.
  const fields = Array.from({ length: 20_000 }, (_, i): [string, string] => [`F${i}`, "v".repeat(100)]);
  const many = encodeExportEntry(fields);
  const q = new ExportParser();
  let n = 0;
  const work2 = bytesWorked(() => {
    for (let i = 0; i < many.length; i += 4096) n += q.push(many.subarray(i, i + 4096)).length;
  });
  assert.equal(n, 1);
  assert.ok(work2 < 4 * many.length, `${work2} bytes of work for a ${many.length}-byte entry`);
});

test("returns the entries complete before an error in the same chunk, then throws it at the right byte", () => {
  const isAt = (pos: number) => (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_EXPORT_FORMAT" && e.position === pos && e.message.endsWith(`at byte ${pos}`);
  const p = new ExportParser();
  assert.deepEqual(p.push(Buffer.from("MESSAGE=ok\n\nbad name=x\n\n")).map((e) => e.get("MESSAGE")), ["ok"]);
  assert.throws(() => p.end(), isAt(15));
  const q = new ExportParser();
  assert.deepEqual(q.push(Buffer.from("MESSAGE=a\n\nMES")).map((e) => e.get("MESSAGE")), ["a"]);
  assert.deepEqual(q.push(Buffer.from("SAGE=b\n\nx y=1\n\n")).map((e) => e.get("MESSAGE")), ["b"]);
  assert.throws(() => q.push(Buffer.from("MESSAGE=c\n\n")), isAt(23));
  // All at once, nothing is returned: the error alone.
  assert.throws(() => parseExport(Buffer.from("MESSAGE=a\n\nMESSAGE=b\n\nx y=1\n\n")), isAt(23));
});
