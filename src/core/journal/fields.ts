// Journal field names (see systemd.journal-fields(7) and the journal export format).
// Use these constants rather than string literals.

export const FIELD_CURSOR = "__CURSOR";
export const FIELD_REALTIME_TIMESTAMP = "__REALTIME_TIMESTAMP";
export const FIELD_MONOTONIC_TIMESTAMP = "__MONOTONIC_TIMESTAMP";
export const FIELD_SEQNUM = "__SEQNUM";
export const FIELD_SEQNUM_ID = "__SEQNUM_ID";
export const FIELD_BOOT_ID = "_BOOT_ID";
export const FIELD_MACHINE_ID = "_MACHINE_ID";
export const FIELD_HOSTNAME = "_HOSTNAME";
export const FIELD_MESSAGE = "MESSAGE";
export const FIELD_PRIORITY = "PRIORITY";
export const FIELD_SYSLOG_FACILITY = "SYSLOG_FACILITY";
export const FIELD_SYSLOG_IDENTIFIER = "SYSLOG_IDENTIFIER";
export const FIELD_SYSTEMD_UNIT = "_SYSTEMD_UNIT";
export const FIELD_PID = "_PID";
export const FIELD_COMM = "_COMM";
export const FIELD_TRANSPORT = "_TRANSPORT";
export const FIELD_CONTAINER_NAME = "CONTAINER_NAME";
export const FIELD_CONTAINER_ID = "CONTAINER_ID";
export const FIELD_CONTAINER_PARTIAL_MESSAGE = "CONTAINER_PARTIAL_MESSAGE";
export const FIELD_SOURCE_REALTIME_TIMESTAMP = "_SOURCE_REALTIME_TIMESTAMP";

/** Short names accepted in queries and configuration for common journal fields. */
export const FIELD_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  host: FIELD_HOSTNAME,
  hostname: FIELD_HOSTNAME,
  unit: FIELD_SYSTEMD_UNIT,
  priority: FIELD_PRIORITY,
  container: FIELD_CONTAINER_NAME,
  message: FIELD_MESSAGE,
  identifier: FIELD_SYSLOG_IDENTIFIER,
  pid: FIELD_PID,
});

/** Journal field names: uppercase letters, digits and underscores, not starting with a digit. */
export function isValidFieldName(name: string): boolean {
  return /^[A-Z_][A-Z0-9_]*$/.test(name) && name.length <= 64;
}
