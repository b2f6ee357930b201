// Test support for sinks: export-format batch bodies from field lists.
import { encodeExportEntry, type ExportField } from "../../core/journal/export-encoder.js";

/** The body of a batch: the entries' export bytes, concatenated (as the pipeline sends them). */
export function batchBody(entries: Iterable<readonly ExportField[]>): Buffer {
  return Buffer.concat([...entries].map((e) => encodeExportEntry(e)));
}

/** A small journal entry of a service: MESSAGE, unit, identifier, host, pid and priority. */
export function serviceEntry(message: string, over: Record<string, string> = {}): ExportField[] {
  const f: Record<string, string> = {
    __REALTIME_TIMESTAMP: "1700000000123456",
    _HOSTNAME: "node-7",
    _SYSTEMD_UNIT: "nginx.service",
    SYSLOG_IDENTIFIER: "nginx",
    _PID: "1042",
    PRIORITY: "4",
    SYSLOG_FACILITY: "3",
    MESSAGE: message,
    ...over,
  };
  return Object.entries(f);
}
