// Writes journal export format. A value is written in the binary-safe form when it holds a byte
// below 0x20 or 0x7f, or is not valid UTF-8 — as journalctl does for values it cannot print.
import { isUtf8 } from "node:buffer";

export type ExportField = readonly [name: string, value: string | Buffer];

function needsBinary(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c < 0x20 || c === 0x7f) return true;
  }
  return !isUtf8(b);
}

/** Encodes one entry (fields in the given order) followed by the blank line that ends it. */
export function encodeExportEntry(fields: Iterable<ExportField>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    const b = typeof value === "string" ? Buffer.from(value, "utf8") : value;
    if (needsBinary(b)) {
      const head = Buffer.allocUnsafe(name.length + 9);
      head.write(name, 0, "latin1");
      head[name.length] = 10;
      head.writeUInt32LE(b.length % 0x100000000, name.length + 1);
      head.writeUInt32LE(Math.floor(b.length / 0x100000000), name.length + 5);
      parts.push(head, b, Buffer.from("\n"));
    } else {
      parts.push(Buffer.from(`${name}=`, "latin1"), b, Buffer.from("\n"));
    }
  }
  parts.push(Buffer.from("\n"));
  return Buffer.concat(parts);
}
