// A small file system of its own for full-disk tests: a tmpfs mounted on a temporary directory
// (the tests run as root), filled with a filler file until the kernel says ENOSPC, freed again.
import { execFileSync } from "node:child_process";
import { closeSync, fstatSync, ftruncateSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TinyDisk {
  path: string;
  /** Writes a filler file until the file system is full, then gives back `leaveBytes`. */
  fill(leaveBytes?: number): void;
  /** Deletes the filler: space is back. */
  free(): void;
  dispose(): void;
}

export function tinyDisk(sizeMiB: number): TinyDisk {
  const path = mkdtempSync(join(tmpdir(), "lh-tiny-disk-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeMiB}m,mode=0755`, "tmpfs", path]);
  const filler = join(path, "filler");
  return {
    path,
    fill(leaveBytes = 0) {
      const fd = openSync(filler, "a");
      const block = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, block);
      } catch (e) {
        if ((e as { code?: string }).code !== "ENOSPC") throw e;
        // The last bytes of a partly written block.
        try {
          for (;;) writeSync(fd, block.subarray(0, 512));
        } catch {
          /* full */
        }
      } finally {
        if (leaveBytes > 0) ftruncateSync(fd, Math.max(0, fstatSync(fd).size - leaveBytes));
        closeSync(fd);
      }
    },
    free() {
      unlinkSync(filler);
    },
    dispose() {
      try {
        execFileSync("umount", ["-l", path]);
      } finally {
        rmSync(path, { recursive: true, force: true });
      }
    },
  };
}
