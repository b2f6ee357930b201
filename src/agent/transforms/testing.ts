// Test support for transforms: journal entries as journald writes them for a systemd service and
// for a container logged through Docker's journald driver.
import { encodeExportEntry, type ExportField } from "../../core/journal/export-encoder.js";
import type { ExportEntry } from "../../core/journal/export-entry.js";
import { parseExport } from "../../core/journal/export-parser.js";
import type { Transform } from "./transform.js";

let seq = 1;

/** A service's entry (fields as journald records them); `over` replaces or adds fields. */
export function serviceFields(message: string, over: Record<string, string> = {}): ExportField[] {
  const n = seq++;
  const f: Record<string, string> = {
    __CURSOR: `s=a1b2c3d4e5f60718293a4b5c6d7e8f90;i=${n.toString(16)};b=0123456789abcdef0123456789abcdef;m=${(1000 + n).toString(16)};t=${(1700000000000000 + n).toString(16)};x=${n}`,
    __REALTIME_TIMESTAMP: String(1700000000000000 + n * 1000),
    __MONOTONIC_TIMESTAMP: String(1000 + n),
    __SEQNUM: String(n),
    _BOOT_ID: "0123456789abcdef0123456789abcdef",
    _MACHINE_ID: "fedcba9876543210fedcba9876543210",
    _HOSTNAME: "node-7.cluster.example",
    PRIORITY: "6",
    SYSLOG_FACILITY: "3",
    SYSLOG_IDENTIFIER: "nginx",
    _PID: "1042",
    _UID: "33",
    _COMM: "nginx",
    _TRANSPORT: "stdout",
    _SYSTEMD_UNIT: "nginx.service",
    MESSAGE: message,
    ...over,
  };
  return Object.entries(f);
}

/** The entry Docker's journald log driver writes for one line of a container. */
export function containerFields(message: string, over: Record<string, string> = {}): ExportField[] {
  return serviceFields(message, {
    _SYSTEMD_UNIT: "docker.service",
    _COMM: "dockerd",
    _PID: "811",
    _TRANSPORT: "journal",
    SYSLOG_IDENTIFIER: "api",
    CONTAINER_ID: "3f4e8a9b1c2d",
    CONTAINER_ID_FULL: "3f4e8a9b1c2d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f",
    CONTAINER_NAME: "k8s_api_api-7d9c6b5f4-x2x9k_payments_5b1c7e0a-3f1e-4c2b-9d8e-7a6b5c4d3e2f_0",
    CONTAINER_TAG: "3f4e8a9b1c2d",
    IMAGE_NAME: "registry.example.com/payments/api:1.14.2",
    ...over,
  });
}

export function entryOf(fields: readonly ExportField[]): ExportEntry {
  return parseExport(encodeExportEntry(fields))[0]!;
}

/** Runs entries through a transform, then flushes it at `flushAt` (force when omitted). */
export function run(t: Transform, entries: readonly ExportEntry[], flushAt?: number): ExportEntry[] {
  const out: ExportEntry[] = [];
  for (const e of entries) t.process(e, out);
  t.flush(flushAt ?? Number.MAX_SAFE_INTEGER, out, flushAt === undefined);
  return out;
}

export const messages = (es: readonly ExportEntry[]): (string | undefined)[] => es.map((e) => e.get("MESSAGE"));
