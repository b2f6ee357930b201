// Wakes a follower when the journal may have changed: inotify (fs.watch) on the journal's
// directories — journald truncates a file to its own size after writing precisely so that readers
// get an IN_MODIFY — plus a timer, because inotify misses writes through mmap from writers that do
// not do that (journal-remote), directories created later, and network filesystems.
import { watch, type FSWatcher } from "node:fs";

export class ChangeSignal {
  private watchers: FSWatcher[] = [];
  private watchedKey = "";
  private dirty = false;
  /** A directory entry appeared or vanished since the last take(): rescan the directories. */
  private renamed = false;
  private wake: (() => void) | undefined;

  /** Watches exactly these directories (re-arms when the list changed). */
  watchDirs(dirs: readonly string[]): void {
    const key = dirs.join("\0");
    if (key === this.watchedKey) return;
    this.unwatch();
    this.watchedKey = key;
    for (const dir of dirs) {
      try {
        const w = watch(dir, { persistent: false }, (event) => this.notify(event === "rename"));
        w.on("error", () => this.notify(true));
        this.watchers.push(w);
      } catch {
        // not watchable (gone, no inotify): the timer covers it
      }
    }
  }

  notify(renamed = false): void {
    this.dirty = true;
    if (renamed) this.renamed = true;
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** Resolves at the next change, or after ms at the latest; tells whether directories changed. */
  async wait(ms: number): Promise<{ renamed: boolean }> {
    if (!this.dirty) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.wake = undefined;
          resolve();
        }, ms);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
    const renamed = this.renamed;
    this.dirty = false;
    this.renamed = false;
    return { renamed };
  }

  unwatch(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
    this.watchedKey = "";
  }
}
