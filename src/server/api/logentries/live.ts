// Live-tail sessions of the Logentries-compatible API (POST /query/live/logs): a session buffers
// the matching events the hub delivers; each poll of its Next link takes what arrived since.
import { randomUUID } from "node:crypto";
import type { FoundEvent } from "../../query/execute/index.js";
import type { QueryPlan } from "../../query/plan.js";
import type { TailHub } from "../../tail/hub.js";

export const SESSION_IDLE_MS = 60_000;
const MAX_BUFFER = 10_000;

interface Session {
  events: FoundEvent[];
  logIds: string[];
  statement: string;
  unsubscribe(): void;
  timer: NodeJS.Timeout;
}

export class LiveSessions {
  private readonly sessions = new Map<string, Session>();
  constructor(private readonly hub: TailHub) {}

  open(logIds: string[], plan: QueryPlan, statement: string): string {
    const id = randomUUID();
    const events: FoundEvent[] = [];
    const unsubscribe = this.hub.subscribe({ logIds, plan }, (batch) => {
      events.push(...batch);
      if (events.length > MAX_BUFFER) events.splice(0, events.length - MAX_BUFFER);
    });
    const s: Session = { events, logIds, statement, unsubscribe, timer: this.idleTimer(id) };
    this.sessions.set(id, s);
    return id;
  }

  /** The events since the last poll, or undefined for an unknown (or expired) session. */
  poll(id: string): { events: FoundEvent[]; logIds: string[]; statement: string } | undefined {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    clearTimeout(s.timer);
    s.timer = this.idleTimer(id);
    return { events: s.events.splice(0), logIds: s.logIds, statement: s.statement };
  }

  closeAll(): void {
    for (const id of [...this.sessions.keys()]) this.close(id);
  }

  private close(id: string): void {
    const s = this.sessions.get(id);
    if (!s) return;
    clearTimeout(s.timer);
    s.unsubscribe();
    this.sessions.delete(id);
  }

  private idleTimer(id: string): NodeJS.Timeout {
    const t = setTimeout(() => this.close(id), SESSION_IDLE_MS);
    t.unref();
    return t;
  }
}
