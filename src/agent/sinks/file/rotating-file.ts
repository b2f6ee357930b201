// An append-only file rotated by size: when a write would take it past maxBytes, FILE becomes
// FILE.1 (FILE.1 → FILE.2, ...; the oldest beyond maxFiles is deleted) and a new FILE is started.
// Each write is fdatasync'd before it resolves: once acknowledged, the lines are on disk.
import { open, rename, rm, stat, type FileHandle } from "node:fs/promises";

export class RotatingFile {
  rotations = 0;
  private fh: FileHandle | undefined;
  private size = 0;

  constructor(readonly path: string, private readonly maxBytes: number, private readonly maxFiles: number) {}

  async write(data: Buffer): Promise<void> {
    if (this.fh === undefined) await this.openFile();
    if (this.size > 0 && this.size + data.length > this.maxBytes) await this.rotate();
    await this.fh!.write(data);
    await this.fh!.datasync();
    this.size += data.length;
  }

  async close(): Promise<void> {
    await this.fh?.close();
    this.fh = undefined;
  }

  private async openFile(): Promise<void> {
    this.fh = await open(this.path, "a");
    this.size = (await stat(this.path)).size;
  }

  private async rotate(): Promise<void> {
    await this.close();
    await rm(`${this.path}.${this.maxFiles}`, { force: true });
    for (let i = this.maxFiles - 1; i >= 1; i--) {
      await rename(`${this.path}.${i}`, `${this.path}.${i + 1}`).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== "ENOENT") throw e;
      });
    }
    if (this.maxFiles >= 1) await rename(this.path, `${this.path}.1`);
    else await rm(this.path, { force: true });
    this.rotations++;
    await this.openFile();
  }
}
