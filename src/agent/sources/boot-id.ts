// The running boot's id, as the journal writes it in _BOOT_ID: 32 lowercase hex digits.
import { readFile } from "node:fs/promises";

export async function currentBootId(): Promise<string | undefined> {
  try {
    const raw = await readFile("/proc/sys/kernel/random/boot_id", "utf8");
    const id = raw.trim().replace(/-/g, "").toLowerCase();
    return /^[0-9a-f]{32}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
