import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeExportEntry } from "../core/journal/export-encoder.js";
import { generateEntries, fieldOf, type GenerateOptions } from "./generator.js";

const END_US = 1_700_000_000_000_000;
const opts = (o: Partial<GenerateOptions> = {}): GenerateOptions => ({ count: 20_000, endUs: END_US, ...o });

function bytesOf(o: GenerateOptions): Buffer {
  return Buffer.concat([...generateEntries(o)].map((e) => encodeExportEntry(e)));
}

const COMMON = ["__REALTIME_TIMESTAMP", "__MONOTONIC_TIMESTAMP", "_BOOT_ID", "_MACHINE_ID", "_HOSTNAME", "_TRANSPORT", "PRIORITY", "SYSLOG_FACILITY", "SYSLOG_IDENTIFIER", "MESSAGE"];
const PROCESS = ["_PID", "_UID", "_GID", "_COMM", "_EXE", "_SYSTEMD_UNIT", "_SOURCE_REALTIME_TIMESTAMP"];

test("the same seed and window give the same entries byte for byte, another seed others", () => {
  const a = bytesOf(opts({ count: 3000, seed: 7 }));
  assert.ok(a.equals(bytesOf(opts({ count: 3000, seed: 7 }))));
  assert.ok(!a.equals(bytesOf(opts({ count: 3000, seed: 8 }))));
});

test("hosts keep their machine and boot ids whatever the entry count", () => {
  const ids = (count: number): string[] => {
    const seen = new Set<string>();
    for (const e of generateEntries(opts({ count }))) seen.add(`${fieldOf(e, "_HOSTNAME")} ${fieldOf(e, "_MACHINE_ID")} ${fieldOf(e, "_BOOT_ID")}`);
    return [...seen].sort();
  };
  assert.deepEqual(ids(5000), ids(20_000));
});

test("every entry has the common fields, process fields unless from the kernel, and a 40-300 byte message", () => {
  for (const e of generateEntries(opts())) {
    const names = new Set(e.map(([n]) => n));
    for (const n of COMMON) assert.ok(names.has(n), `missing ${n} in ${JSON.stringify(e)}`);
    if (fieldOf(e, "_TRANSPORT") === "kernel") assert.ok(names.has("_SOURCE_MONOTONIC_TIMESTAMP"));
    else for (const n of PROCESS) assert.ok(names.has(n), `missing ${n} in ${JSON.stringify(e)}`);
    const len = Buffer.byteLength(fieldOf(e, "MESSAGE")!);
    assert.ok(len >= 40 && len <= 300, `message of ${len} bytes: ${fieldOf(e, "MESSAGE")}`);
    assert.ok(e.length >= 11 && e.length <= 25, `${e.length} fields`);
  }
});

test("timestamps lie in the window, in order, and monotonic time grows within each boot", () => {
  const span = 3600e6;
  let prev = 0;
  const lastMono = new Map<string, number>();
  for (const e of generateEntries(opts({ spanUs: span }))) {
    const t = Number(fieldOf(e, "__REALTIME_TIMESTAMP"));
    assert.ok(t >= END_US - span && t < END_US);
    assert.ok(t >= prev);
    prev = t;
    const boot = fieldOf(e, "_BOOT_ID")!;
    const mono = Number(fieldOf(e, "__MONOTONIC_TIMESTAMP"));
    assert.ok(mono >= (lastMono.get(boot) ?? 0), "monotonic time went back within a boot");
    lastMono.set(boot, mono);
    const src = fieldOf(e, "_SOURCE_REALTIME_TIMESTAMP");
    if (src !== undefined) assert.ok(Number(src) <= t && Number(src) > t - 1000);
  }
});

test("three hosts by default, distinct machine ids, and the last host reboots once", () => {
  const boots = new Map<string, Set<string>>();
  const machines = new Map<string, string>();
  for (const e of generateEntries(opts())) {
    const h = fieldOf(e, "_HOSTNAME")!;
    machines.set(h, fieldOf(e, "_MACHINE_ID")!);
    (boots.get(h) ?? boots.set(h, new Set()).get(h)!).add(fieldOf(e, "_BOOT_ID")!);
  }
  assert.deepEqual([...machines.keys()].sort(), ["node-1", "node-2", "node-3"]);
  assert.equal(new Set(machines.values()).size, 3);
  assert.deepEqual([...boots.values()].map((b) => b.size), [...boots.keys()].map((h) => (h === "node-3" ? 2 : 1)));
  const hosts5 = new Set([...generateEntries(opts({ count: 2000, hosts: 5 }))].map((e) => fieldOf(e, "_HOSTNAME")));
  assert.equal(hosts5.size, 5);
});

test("priorities are mostly info, with some warnings and errors", () => {
  const n = new Map<string, number>();
  let total = 0;
  for (const e of generateEntries(opts())) {
    const p = fieldOf(e, "PRIORITY")!;
    n.set(p, (n.get(p) ?? 0) + 1);
    total++;
  }
  const share = (p: string): number => (n.get(p) ?? 0) / total;
  assert.ok(share("6") > 0.8 && share("6") < 0.97, `info ${share("6")}`);
  assert.ok(share("4") > 0.01 && share("4") < 0.1, `warning ${share("4")}`);
  assert.ok(share("3") > 0.01 && share("3") < 0.1, `error ${share("3")}`);
});

test("covers web, database, ssh, containers, kernel, cron and systemd, with JSON and key=value messages", () => {
  const units = new Set<string>();
  const seen = { access: 0, timeout: 0, json: 0, kv: 0, accepted: 0, failed: 0, container: 0 };
  for (const e of generateEntries(opts())) {
    units.add(fieldOf(e, "_SYSTEMD_UNIT") ?? `transport:${fieldOf(e, "_TRANSPORT")}`);
    const m = fieldOf(e, "MESSAGE")!;
    if (/" (\d{3}) \d+ "-" ".*" rt=\d+\.\d{3}/.test(m)) seen.access++;
    if (m.includes("upstream timed out") || m.includes("connection timeout")) seen.timeout++;
    if (m.startsWith("{")) {
      const j = JSON.parse(m) as { level?: string; msg?: string };
      assert.ok(j.level && j.msg);
      seen.json++;
    }
    if (/^time=\S+ level=\w+ msg="[^"]+"/.test(m)) seen.kv++;
    if (m.startsWith("Accepted publickey")) seen.accepted++;
    if (m.startsWith("Failed password")) seen.failed++;
    if (fieldOf(e, "CONTAINER_NAME")) {
      for (const f of ["CONTAINER_ID", "CONTAINER_ID_FULL", "IMAGE_NAME"]) assert.ok(fieldOf(e, f), f);
      seen.container++;
    }
  }
  for (const u of ["nginx.service", "postgresql.service", "sshd.service", "docker.service", "kubelet.service", "containerd.service", "cron.service", "init.scope", "transport:kernel"]) {
    assert.ok(units.has(u), `no entry from ${u}`);
  }
  for (const [k, v] of Object.entries(seen)) assert.ok(v > 0, `no ${k} message`);
});

test("streams: the first entries of a huge count come at once", () => {
  let n = 0;
  for (const e of generateEntries({ count: 1e12, endUs: END_US })) {
    assert.ok(e.length > 0);
    if (++n === 3) break;
  }
  assert.equal(n, 3);
});

test("rejects bad options, naming every problem", () => {
  assert.throws(
    () => [...generateEntries({ count: -1, hosts: 0, endUs: END_US })],
    (e: Error) => e instanceof RangeError && /count: .* got -1/.test(e.message) && /hosts: .* got 0/.test(e.message),
  );
});
