// A count of entries over the last `windowS` seconds, by entry time, in SLOTS buckets: a late entry
// (an agent catching up) counts in the bucket its own time belongs to, so it raises the count only
// while its time is still inside the window; one older than the window no longer counts anywhere.
// Memory per group: at most SLOTS numbers.

export const SLOTS = 60;

export class SlidingWindow {
  private readonly slotMs: number;
  /** slot index (floor(ms / slotMs)) → count */
  private readonly slots = new Map<number, number>();
  private total = 0;

  constructor(readonly windowS: number) {
    this.slotMs = Math.max(1, Math.ceil((windowS * 1000) / SLOTS));
  }

  /** Adds an entry at `tsMs`; false (and not counted) when it is older than the window at `nowMs`. */
  add(tsMs: number, nowMs: number, n = 1): boolean {
    const t = Math.min(tsMs, nowMs); // a clock ahead of ours counts now
    if (t <= nowMs - this.windowS * 1000) return false;
    const slot = Math.floor(t / this.slotMs);
    this.slots.set(slot, (this.slots.get(slot) ?? 0) + n);
    this.total += n;
    return true;
  }

  /** Entries whose time is within (nowMs - window, nowMs]. Drops the buckets that left the window. */
  count(nowMs: number): number {
    const oldest = Math.floor((nowMs - this.windowS * 1000) / this.slotMs);
    for (const [slot, n] of this.slots) {
      if (slot <= oldest) {
        this.slots.delete(slot);
        this.total -= n;
      }
    }
    return this.total;
  }

  get empty(): boolean {
    return this.slots.size === 0;
  }
}
