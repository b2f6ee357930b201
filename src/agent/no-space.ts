// A write to the state directory that failed for want of space (ENOSPC, or a quota: EDQUOT). The
// agent does not stop for it: it pauses reading, keeps what it holds, and retries until space returns.
export const NO_SPACE_RETRY_MS = 1000;

export function isNoSpace(e: unknown): boolean {
  for (let x: unknown = e; x !== undefined && x !== null; x = (x as { cause?: unknown }).cause) {
    const code = (x as { code?: unknown }).code;
    if (code === "ENOSPC" || code === "EDQUOT") return true;
  }
  return false;
}
