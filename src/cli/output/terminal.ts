// How the CLI writes to the terminal: whether to colour (NO_COLOR, FORCE_COLOR, a TTY), and what to do
// when the reader of stdout goes away (`logharbor query | head`): exit quietly, as Unix tools do.

/** Colour on stdout: FORCE_COLOR (not "0") forces it, NO_COLOR forbids it, else only on a terminal. */
export function colourWanted(env: NodeJS.ProcessEnv = process.env, isTty = process.stdout.isTTY === true): boolean {
  const force = env["FORCE_COLOR"];
  if (force !== undefined && force !== "0" && force !== "false") return true;
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  if (force === "0" || force === "false") return false;
  return isTty;
}

/** A closed stdout (EPIPE: the reader exited) ends the program quietly with exit code 0. */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE" || e.code === "ERR_STREAM_DESTROYED") process.exit(0);
    throw e;
  });
}
