// Realistic journal entries for tests and measurements: ~13 fields, messages of 40-300 bytes.
import type { ExportField } from "../../src/core/journal/export-encoder.js";

export const TEST_BOOT_ID = "0123456789abcdef0123456789abcdef";
export const TEST_MACHINE_ID = "fedcba9876543210fedcba9876543210";
const UNITS = ["nginx.service", "sshd.service", "docker.service", "kubelet.service", "cron.service"];

/** Entry number i (its SEQ field holds i), timestamps one millisecond apart. */
export function realisticEntry(i: number, extra: ExportField[] = [], bootId = TEST_BOOT_ID): ExportField[] {
  const unit = UNITS[i % UNITS.length]!;
  const ident = unit.replace(".service", "");
  return [
    ["__REALTIME_TIMESTAMP", String(1_700_000_000_000_000 + i * 1000)],
    ["__MONOTONIC_TIMESTAMP", String(1_000_000 + i * 1000)],
    ["_BOOT_ID", bootId],
    ["_MACHINE_ID", TEST_MACHINE_ID],
    ["_HOSTNAME", "node-7.cluster.example"],
    ["PRIORITY", String(3 + (i % 4))],
    ["SYSLOG_FACILITY", "3"],
    ["SYSLOG_IDENTIFIER", ident],
    ["_PID", String(1000 + (i % 50))],
    ["_COMM", ident],
    ["_TRANSPORT", "journal"],
    ["_SYSTEMD_UNIT", unit],
    ["MESSAGE", `${ident}[${i}]: request ${i} handled status=${200 + (i % 3) * 100} ${"lorem ipsum dolor ".repeat(1 + ((i * 7) % 16))}`.slice(0, 40 + ((i * 37) % 261))],
    ["SEQ", String(i)],
    ...extra,
  ];
}

export function* realisticEntries(from: number, count: number): Generator<ExportField[]> {
  for (let i = from; i < from + count; i++) yield realisticEntry(i);
}
