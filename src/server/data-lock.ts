// One `logharbor serve` per data directory: DATA/serve.lock holds the pid of the server using it.
// A second server on the same --data is refused, naming the holder; a lock left by a server that
// died (its pid gone, or now another program's) is taken over. Also: the HTTP address is checked
// before anything is created, so a port in use gives one clear line, not a stack trace after a new
// data directory and admin key.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { LogharborError } from "../core/errors.js";

export const LOCK_FILE = "serve.lock";

/** Is `pid` a running logharbor (its command line names us), other than this process? */
function holderAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    return /logharbor|main\.[jt]s/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
  } catch {
    return true; // no /proc: a live pid is taken as the holder
  }
}

/** Takes the data directory's lock (creating the directory); returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number(readFileSync(file, "utf8").trim());
      if (holderAlive(pid)) {
        throw new LogharborError(
          "LH_ERR_DATA_DIR_LOCKED",
          `--data ${dataDir}: in use by another logharbor serve (pid ${pid}, lock file ${file}); stop it first, or give this one another --data`,
          { status: 500 },
        );
      }
      rmSync(file, { force: true }); // left by a server that is gone
    }
  }
  throw new LogharborError("LH_ERR_DATA_DIR_LOCKED", `--data ${dataDir}: could not take the lock file ${file}`, { status: 500 });
}

/** Fails with one clear line when HOST:PORT cannot be listened on (in use, not ours). Port 0 always can. */
export async function checkListenable(host: string, port: number, flag = "--http"): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const s = createServer();
    s.once("error", (e: NodeJS.ErrnoException) => {
      const why = e.code === "EADDRINUSE" ? "is in use by another program (another logharbor serve?)" : e.code === "EACCES" ? "needs privileges this user lacks" : `cannot be listened on (${e.code ?? e.message})`;
      reject(new LogharborError("LH_ERR_ADDRESS_IN_USE", `${flag} ${host}:${port}: the address ${why}; stop that program or choose another address with ${flag} HOST:PORT`, { status: 500 }));
    });
    s.listen({ host, port, exclusive: true }, () => s.close(() => resolve()));
  });
}
