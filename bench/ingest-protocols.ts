// Other agents' protocols against token TCP, in the same run, with the same record content: N
// records (bench/lib/token-tcp.ts messages) sent to a fresh real `logharbor serve` each time, as
//   - token TCP (the reference): 4 connections of "TOKEN message" lines;
//   - OTLP/HTTP protobuf and OTLP/HTTP JSON (POST /v1/logs), Loki protobuf + snappy
//     (POST /loki/api/v1/push), Elasticsearch bulk NDJSON (POST /_bulk): 4 concurrent keep-alive
//     clients, each request RECORDS records, the bodies encoded beforehand (the clients' cost is not
//     the server's), with what each protocol's agents send at least: OTLP service.name and
//     host.name resources, severity, time; Loki job and host labels, time; ES @timestamp, message,
//     log.level.
// Measured until every record is committed (the HTTP protocols answer only then; token TCP: the
// stored count) and the last one is searchable. Best of ROUNDS interleaved rounds (a shared
// machine only slows a run down). Prints records/s, the server's CPU per record, and each
// protocol's ratio to token TCP (target >= 0.7).
//   node dist/bench/ingest-protocols.js [--records N] [--per-request R] [--rounds K]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type protobuf from "protobufjs";
import { compress } from "snappyjs";
import { Agent, request } from "node:http";
import { loadProtoFiles } from "../src/server/ingest/common/proto-files.js";
import { ExportLogsServiceRequest } from "../src/server/ingest/otlp/schema.js";
import { requireCli } from "./lib/paths.js";
import { countOf, cpuSeconds, message, send, startServe } from "./lib/token-tcp.js";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

const RECORDS = arg("--records", 200_000);
const PER_REQUEST = arg("--per-request", 2000);
const ROUNDS = arg("--rounds", 3);
const CLIENTS = 4;
const T0_MS = Date.UTC(2026, 0, 1);
const LEVELS = ["info", "warn", "error"] as const;
const SEVERITY_NUMBER = { info: 9, warn: 13, error: 17 } as const;

const PushRequest: protobuf.Type = loadProtoFiles(["src/server/ingest/loki/proto/push.proto"]).lookupType("logproto.PushRequest");

interface Protocol {
  name: string;
  path: string;
  headers: Record<string, string>;
  /** The body of records [from, to). */
  body(from: number, to: number): Buffer;
}

function otlpObject(from: number, to: number, json: boolean): object {
  const kv = (key: string, v: string) => ({ key, value: { stringValue: v } });
  const logRecords = [];
  for (let i = from; i < to; i++) {
    const level = LEVELS[i % 3]!;
    const ns = `${T0_MS + i}000000`;
    logRecords.push({ timeUnixNano: json ? ns : Number(ns), severityNumber: SEVERITY_NUMBER[level], severityText: level, body: { stringValue: message(i) } });
  }
  return { resourceLogs: [{ resource: { attributes: [kv("service.name", "bench"), kv("host.name", `web-${from % 7}`)] }, scopeLogs: [{ scope: { name: "bench" }, logRecords }] }] };
}

const PROTOCOLS: Protocol[] = [
  {
    name: "OTLP protobuf", path: "/v1/logs", headers: { "content-type": "application/x-protobuf" },
    body: (a, b) => Buffer.from(ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(otlpObject(a, b, false))).finish()),
  },
  {
    name: "OTLP JSON", path: "/v1/logs", headers: { "content-type": "application/json" },
    body: (a, b) => Buffer.from(JSON.stringify(otlpObject(a, b, true))),
  },
  {
    name: "Loki protobuf+snappy", path: "/loki/api/v1/push", headers: { "content-type": "application/x-protobuf" },
    body: (a, b) => {
      const entries = [];
      for (let i = a; i < b; i++) entries.push({ timestamp: { seconds: Math.floor((T0_MS + i) / 1000), nanos: ((T0_MS + i) % 1000) * 1e6 }, line: message(i) });
      const raw = PushRequest.encode(PushRequest.fromObject({ streams: [{ labels: `{job="bench", host="web-${a % 7}"}`, entries }] })).finish();
      return Buffer.from(compress(Buffer.from(raw)));
    },
  },
  {
    name: "Elasticsearch bulk", path: "/_bulk", headers: { "content-type": "application/x-ndjson" },
    body: (a, b) => {
      let s = "";
      for (let i = a; i < b; i++) s += `{"create":{"_index":"bench"}}\n${JSON.stringify({ "@timestamp": new Date(T0_MS + i).toISOString(), message: message(i), log: { level: LEVELS[i % 3] } })}\n`;
      return Buffer.from(s);
    },
  },
];

interface Run {
  s: number;
  cpuS: number;
}

/** POSTs a body over a keep-alive agent; resolves with the status and the answer's text. */
function post(url: string, headers: Record<string, string>, body: Buffer, agent: Agent): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { ...headers, "content-length": String(body.length) }, agent }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function createLog(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/logs`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"bench"}' });
  return ((await res.json()) as { log: { token: string } }).log.token;
}

async function searchable(url: string, i: number): Promise<boolean> {
  const q = encodeURIComponent(`"req-${i} "`);
  const r = (await (await fetch(`${url}/api/v1/events?q=${q}&limit=5&from=2000-01-01&to=2100-01-01`)).json()) as { events: unknown[] };
  return r.events.length > 0;
}

async function withServer(fn: (server: Awaited<ReturnType<typeof startServe>>, token: string) => Promise<number>): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "lh-bench-proto-"));
  const server = await startServe(dir);
  try {
    const token = await createLog(server.url);
    const cpu0 = cpuSeconds(server.pid);
    const s = await fn(server, token);
    const cpuS = cpuSeconds(server.pid) - cpu0;
    if (!(await searchable(server.url, RECORDS - 1))) throw new Error("the last record is not searchable");
    return { s, cpuS };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function tokenTcpRun(): Promise<Run> {
  return withServer(async (server, token) => {
    const lines = Array.from({ length: RECORDS }, (_, i) => `${token} ${message(i)}\n`);
    const per = Math.ceil(RECORDS / CLIENTS);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => send(server.port, lines.slice(c * per, (c + 1) * per))));
    while ((await countOf(server.url)) < RECORDS) await sleep(25);
    return (performance.now() - t0) / 1000;
  });
}

async function protocolRun(p: Protocol, bodies: Buffer[]): Promise<Run> {
  return withServer(async (server, token) => {
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const headers = { ...p.headers, authorization: `Bearer ${token}` };
    let next = 0;
    const client = async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        for (;;) {
          const res = await post(`${server.url}${p.path}`, headers, body, agent);
          const text = res.text;
          if (res.status === 503) {
            await sleep(50);
            continue;
          }
          if (res.status >= 300) throw new Error(`${p.name}: ${res.status} ${text.slice(0, 300)}`);
          if (p.path === "/_bulk" && text.includes('"errors":true')) throw new Error(`${p.name}: item errors`);
          break;
        }
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const s = (performance.now() - t0) / 1000;
    agent.destroy();
    const stored = await countOf(server.url);
    if (stored !== RECORDS) throw new Error(`${p.name}: ${stored} records stored, expected ${RECORDS}`);
    return s;
  });
}

async function main(): Promise<void> {
  requireCli();
  const bodies = new Map<string, Buffer[]>();
  for (const p of PROTOCOLS) {
    const b: Buffer[] = [];
    for (let i = 0; i < RECORDS; i += PER_REQUEST) b.push(p.body(i, Math.min(RECORDS, i + PER_REQUEST)));
    bodies.set(p.name, b);
  }
  const best = new Map<string, Run>();
  const keep = (name: string, r: Run) => {
    const b = best.get(name);
    if (b === undefined || r.s < b.s) best.set(name, { s: r.s, cpuS: Math.min(r.cpuS, b?.cpuS ?? Infinity) });
    else best.set(name, { s: b.s, cpuS: Math.min(r.cpuS, b.cpuS) });
  };
  for (let round = 0; round < ROUNDS; round++) {
    keep("token TCP", await tokenTcpRun());
    for (const p of PROTOCOLS) keep(p.name, await protocolRun(p, bodies.get(p.name)!));
    console.log(`round ${round + 1}: ${[...best].map(([n, r]) => `${n} ${Math.round(RECORDS / r.s)}/s`).join(", ")} (best so far)`);
  }
  const ref = best.get("token TCP")!;
  console.log(`records: ${RECORDS}, ${PER_REQUEST} a request, ${CLIENTS} concurrent clients / connections, best of ${ROUNDS} rounds (machine shared: ratios, not absolute figures)`);
  console.log(`${"protocol".padEnd(22)} ${"records/s".padStart(10)} ${"CPU µs/rec".padStart(11)} ${"x token TCP".padStart(12)} ${"CPU x".padStart(7)}`);
  for (const [name, r] of best) {
    const ratio = ref.s / r.s;
    const cpu = (r.cpuS / RECORDS) * 1e6;
    const flag = name === "token TCP" ? "" : ratio >= 0.7 ? "  (>= 0.7)" : "  (below the 0.7 target)";
    console.log(`${name.padEnd(22)} ${String(Math.round(RECORDS / r.s)).padStart(10)} ${cpu.toFixed(1).padStart(11)} ${ratio.toFixed(2).padStart(12)} ${(r.cpuS / ref.cpuS).toFixed(2).padStart(7)}${flag}`);
  }
}

await main();
