// One forward-protocol connection: frames MessagePack values (framer.ts), reads each message
// (message.ts), runs the shared-key handshake when the listener asks for it (handshake.ts), routes
// each message to a log (route.ts) and hands its records to the batcher. A message with option
// `chunk` is answered {"ack": chunk} only once all its records are committed; acks go out in the
// order the messages came. What cannot be stored is counted (logharbor_ingest_lines_total,
// protocol "forward") and never stored elsewhere:
//   - a value the framer refuses (too_large, too_deep, malformed) or a message that is not one of
//     the protocol's modes: counted once, the connection is closed (the stream cannot be resynced);
//   - a record that is not a map: rejected/malformed, the rest of the message is stored;
//   - a message for no log (token_missing / token_unknown): its records rejected; when it asked for
//     an ack, the connection is closed so the client retries and reports it;
//   - a failed handshake: the client is answered PONG false with the reason, and disconnected.
import { encode } from "@msgpack/msgpack";
import type { Socket } from "node:net";
import type { Logger } from "pino";
import type { ServerMetrics } from "../../metrics.js";
import type { LogInfo, NewEvent } from "../../storage/store.js";
import type { EventBatcher } from "../common/batcher.js";
import type { Session } from "../common/stream-listener.js";
import type { TokenResolver } from "../common/token-resolver.js";
import { FrameRefused, MsgpackFramer, type FramerLimits } from "./framer.js";
import { heloMessage, newNonce, pongMessage, type SharedKeys } from "./handshake.js";
import { readForwardMessage, type ForwardMessage } from "./message.js";
import { routeForward } from "./route.js";
import { forwardEvent } from "./to-event.js";

export const PROTOCOL = "forward";

export interface ForwardContext {
  limits: FramerLimits;
  batcher: EventBatcher;
  tokens: TokenResolver;
  metrics: ServerMetrics;
  logger: Logger;
  /** Set: the handshake is required (serve --forward-auth). */
  sharedKeys: SharedKeys | undefined;
  defaultLog: LogInfo | undefined;
  serverHostname: string;
}

export class ForwardSession implements Session {
  private readonly framer: MsgpackFramer;
  private host: string | null;
  private nonce: Buffer | undefined;
  /** The shared key (a token) the client proved; undefined before the handshake or without one. */
  private key: string | undefined;
  private acks: Promise<void> = Promise.resolve();
  private dead = false;

  constructor(private readonly socket: Socket, peer: string | null, private readonly cx: ForwardContext) {
    this.framer = new MsgpackFramer(cx.limits);
    this.host = peer;
    if (cx.sharedKeys) {
      this.nonce = newNonce();
      socket.write(heloMessage(this.nonce));
    }
  }

  get pending(): boolean {
    return this.framer.pending;
  }

  private count(result: string, reason: string, n = 1): void {
    if (n > 0) this.cx.metrics.ingestLines.inc({ protocol: PROTOCOL, result, reason }, n);
  }

  private close(reason: string, why: string): void {
    if (this.dead) return;
    this.dead = true;
    this.cx.logger.info({ protocol: PROTOCOL, peer: this.socket.remoteAddress, reason }, `closing a forward connection: ${why}`);
    this.socket.destroy();
  }

  push(chunk: Buffer): void {
    if (this.dead) return;
    try {
      this.framer.push(chunk, (f) => this.message(readForwardMessage(f, this.cx.limits)));
    } catch (e) {
      if (!(e instanceof FrameRefused)) throw e;
      this.count("rejected", e.reason);
      this.close(e.reason, e.message);
    }
  }

  end(): void {
    if (this.framer.pending && !this.dead) this.count("dropped", "incomplete_message");
  }

  private message(m: ForwardMessage): void {
    if (this.dead) return;
    if (this.cx.sharedKeys && this.key === undefined) {
      this.handshake(m);
      return;
    }
    if (m.kind === "ping") return; // a PING without a handshake asked for: nothing to store
    const r = routeForward(m.tag, this.key, this.cx.tokens, this.cx.defaultLog);
    if (!r.ok) {
      this.count("rejected", r.reason, m.entries.length);
      if (m.chunk !== undefined) this.close(r.reason, "a message that asks for an ack names no log that accepts it");
      return;
    }
    this.count("rejected", "malformed", m.malformedEntries);
    const events: Array<{ ev: NewEvent; bytes: number }> = [];
    const peer = { host: this.host };
    for (const e of m.entries) {
      const ev = forwardEvent(r.tag, e.record, e.tsUs, peer, PROTOCOL);
      if (ev === undefined) {
        this.count("rejected", "malformed");
        continue;
      }
      events.push({ ev, bytes: ev.message.length + ev.fieldsJson.length });
    }
    if (m.chunk === undefined) {
      for (const { ev, bytes } of events) this.cx.batcher.add(r.log.id, ev, bytes);
      return;
    }
    const chunk = m.chunk;
    const committed = this.cx.batcher.addAllAndWait(r.log.id, events);
    committed.catch(() => {});
    this.acks = this.acks
      .then(() => committed)
      .then(
        () => {
          if (!this.socket.destroyed) this.socket.write(encode({ ack: chunk }));
        },
        () => this.close("store_error", "its records could not be stored; not acknowledged"),
      );
  }

  private handshake(m: ForwardMessage): void {
    if (m.kind !== "ping") {
      this.count("rejected", "auth_required", m.entries.length);
      this.cx.metrics.ingestConnections.inc({ protocol: PROTOCOL, result: "auth_failed" });
      this.socket.write(pongMessage(false, "this server requires the shared-key handshake (PING) before records"));
      this.close("auth_required", "records before the shared-key handshake");
      return;
    }
    const key = this.cx.sharedKeys!.find(m.salt, m.hostname, this.nonce!, m.digest);
    if (key === undefined || this.cx.tokens.resolve(key) === undefined) {
      this.cx.metrics.ingestConnections.inc({ protocol: PROTOCOL, result: "auth_failed" });
      this.socket.end(pongMessage(false, "shared_key mismatch: the shared key must be the ingest token of a log (logharbor logs list)"));
      this.dead = true;
      setTimeout(() => this.socket.destroy(), 1000).unref();
      return;
    }
    this.key = key;
    if (m.hostname !== "") this.host = m.hostname;
    this.socket.write(pongMessage(true, m.salt, this.cx.serverHostname, this.nonce!, key));
  }
}
