// Token → log for the line protocols, cached: current tokens stay cached until the store's token
// generation changes (a rotation or revocation: then everything cached is dropped, so a revoked
// token is refused at once); a rotated-out token in its grace period is never cached (each line
// asks the store, which refuses it the moment the grace ends); unknown tokens are remembered
// briefly so a flood of bad tokens does not become a flood of queries.
import { canonicalToken, type LogInfo, type Store } from "../../storage/store.js";

export const UUID_RE = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const NEGATIVE_TTL_MS = 1000;
const MAX_CACHED = 10_000;

export class TokenResolver {
  private readonly known = new Map<string, LogInfo>();
  private readonly unknown = new Map<string, number>();
  private generation: number;

  constructor(private readonly store: Store) {
    this.generation = store.tokenGeneration();
  }

  /** The log of a token, or undefined. Tokens compare case-insensitively. */
  resolve(token: string): LogInfo | undefined {
    const t = canonicalToken(token);
    const g = this.store.tokenGeneration();
    if (g !== this.generation) {
      this.generation = g;
      this.known.clear();
      this.unknown.clear();
    }
    const hit = this.known.get(t);
    if (hit) return hit;
    const now = Date.now();
    const miss = this.unknown.get(t);
    if (miss !== undefined && now - miss < NEGATIVE_TTL_MS) return undefined;
    const log = this.store.logByToken(t);
    if (log && log.token === t) {
      if (this.known.size >= MAX_CACHED) this.known.clear();
      this.known.set(t, log);
      this.unknown.delete(t);
    } else if (!log) {
      if (this.unknown.size >= MAX_CACHED) this.unknown.clear();
      this.unknown.set(t, now);
    }
    return log;
  }
}
