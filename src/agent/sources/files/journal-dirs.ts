// Which files make the journal, as journalctl finds them for --directory=DIR (and, for the
// default, in /run/log/journal and /var/log/journal): every *.journal and *.journal~ in the
// directory and in its subdirectories named by a machine id (32 hex digits). Namespaced
// directories (<machine-id>.<namespace>) are left out, as journalctl leaves them out without
// --namespace. Files are named with their device and inode, which survive a rename.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const DEFAULT_JOURNAL_DIRS: readonly string[] = ["/run/log/journal", "/var/log/journal"];

export interface FoundFile {
  path: string;
  key: string;
  size: number;
}

function isJournalFile(name: string): boolean {
  return name.endsWith(".journal") || name.endsWith(".journal~");
}

function filesIn(dir: string, out: FoundFile[]): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!isJournalFile(name)) continue;
    const path = join(dir, name);
    try {
      const st = statSync(path);
      if (st.isFile()) out.push({ path, key: `${st.dev}:${st.ino}`, size: st.size });
    } catch {
      // removed between the listing and the stat: gone
    }
  }
}

/** The journal files under the roots now (a root that does not exist holds none). */
export function findJournalFiles(roots: readonly string[]): FoundFile[] {
  const out: FoundFile[] = [];
  for (const root of roots) {
    filesIn(root, out);
    let names: string[];
    try {
      names = readdirSync(root);
    } catch {
      continue;
    }
    for (const name of names) if (/^[0-9a-f]{32}$/.test(name)) filesIn(join(root, name), out);
  }
  return out;
}

/** The directories to watch for new files: the roots and their machine-id subdirectories. */
export function watchedDirs(roots: readonly string[]): string[] {
  const out: string[] = [];
  for (const root of roots) {
    try {
      if (!statSync(root).isDirectory()) continue;
    } catch {
      continue;
    }
    out.push(root);
    try {
      for (const name of readdirSync(root)) if (/^[0-9a-f]{32}$/.test(name)) out.push(join(root, name));
    } catch {
      // unreadable: only the root
    }
  }
  return out;
}
