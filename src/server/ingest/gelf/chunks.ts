// Reassembly of chunked GELF over UDP: a chunk is 0x1e 0x0f, an 8-byte message id, its sequence
// number and the sequence count (at most 128), then its part of the payload. Bounded in memory and
// time: a message's chunks together at most maxBytes; all incomplete messages together at most
// maxPendingBytes and maxPendingMessages (beyond, the oldest is dropped); a message not complete
// within timeoutMs (5 s, as Graylog) is dropped. Messages are keyed by the sender's address (not its
// port: a client may send chunks from several sockets) and id, so one host cannot complete or spoil
// another's. Each drop has a reason for the counters.
export const GELF_CHUNK_MAGIC_0 = 0x1e;
export const GELF_CHUNK_MAGIC_1 = 0x0f;
const HEADER = 12;
export const MAX_CHUNKS = 128;

export type ChunkDrop = "too_many_chunks" | "chunk_invalid" | "too_large" | "incomplete_chunks" | "chunks_evicted";

export interface ChunkLimits {
  maxBytes: number;
  maxPendingBytes: number;
  maxPendingMessages: number;
  timeoutMs: number;
}

interface Pending {
  count: number;
  parts: Array<Buffer | undefined>;
  got: number;
  bytes: number;
  firstAt: number;
}

export function isChunk(b: Buffer): boolean {
  return b.length >= 2 && b[0] === GELF_CHUNK_MAGIC_0 && b[1] === GELF_CHUNK_MAGIC_1;
}

export class ChunkAssembler {
  private readonly sets = new Map<string, Pending>();
  private pendingBytes = 0;

  constructor(private readonly limits: ChunkLimits, private readonly drop: (reason: ChunkDrop) => void) {}

  /** Incomplete messages held now, and their bytes. */
  get size(): { messages: number; bytes: number } {
    return { messages: this.sets.size, bytes: this.pendingBytes };
  }

  /** Takes one chunk; the whole payload once its last chunk arrived, else undefined. */
  add(chunk: Buffer, sender: string, now = Date.now()): Buffer | undefined {
    if (chunk.length < HEADER) return void this.drop("chunk_invalid");
    const seq = chunk[10]!;
    const count = chunk[11]!;
    if (count === 0 || count > MAX_CHUNKS) return void this.drop("too_many_chunks");
    if (seq >= count) return void this.drop("chunk_invalid");
    const key = sender + "/" + chunk.toString("latin1", 2, 10);
    const part = chunk.subarray(HEADER);
    let p = this.sets.get(key);
    if (p === undefined) {
      if (count === 1) return part;
      p = { count, parts: new Array<Buffer | undefined>(count), got: 0, bytes: 0, firstAt: now };
      this.sets.set(key, p);
    } else if (p.count !== count) {
      this.forget(key, p);
      return void this.drop("chunk_invalid");
    }
    if (p.parts[seq] !== undefined) return undefined; // a repeated chunk: the first one counts
    if (p.bytes + part.length > this.limits.maxBytes) {
      this.forget(key, p);
      return void this.drop("too_large");
    }
    p.parts[seq] = part;
    p.got++;
    p.bytes += part.length;
    this.pendingBytes += part.length;
    if (p.got === p.count) {
      this.forget(key, p);
      return Buffer.concat(p.parts as Buffer[], p.bytes);
    }
    while (this.sets.size > this.limits.maxPendingMessages || this.pendingBytes > this.limits.maxPendingBytes) {
      const [oldKey, old] = this.sets.entries().next().value as [string, Pending];
      this.forget(oldKey, old);
      this.drop("chunks_evicted");
    }
    return undefined;
  }

  /** Drops the messages incomplete for longer than the timeout (oldest first). */
  sweep(now = Date.now()): void {
    for (const [key, p] of this.sets) {
      if (now - p.firstAt < this.limits.timeoutMs) break;
      this.forget(key, p);
      this.drop("incomplete_chunks");
    }
  }

  private forget(key: string, p: Pending): void {
    this.sets.delete(key);
    this.pendingBytes -= p.bytes;
  }
}
