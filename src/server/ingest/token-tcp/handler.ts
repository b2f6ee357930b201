// One token line (TCP, TLS or UDP) → an event in the token's log, or a counted rejection.
// A line with a missing or unknown token is dropped: it is never stored in any other log.
// The common case (strict mode, "UUID SP message") is read from the bytes: the token is checked in
// place and only the message is decoded; anything else takes the general parser (token-line.ts).
import type { ServerMetrics } from "../../metrics.js";
import type { EventBatcher } from "../common/batcher.js";
import { lineEvent, plainFieldsJson, plainLineEvent } from "../common/line-event.js";
import type { TokenResolver } from "../common/token-resolver.js";
import { parseTokenLine } from "./token-line.js";

/** What a line's event takes from its connection (or datagram): made once, not per line. */
export interface LinePeer {
  host: string | null;
  /** The fields JSON of a plain line from this peer. */
  fieldsJson: string;
}

const HEX = new Uint8Array(256);
for (const c of "0123456789abcdefABCDEF") HEX[c.charCodeAt(0)] = 1;

/** True when bytes 0..35 are a UUID (8-4-4-4-12 hex) followed by the end or an ASCII blank. */
function uuidAtStart(b: Buffer): boolean {
  if (b.length < 36) return false;
  if (b.length > 36) {
    const sep = b[36]!;
    if (sep !== 32 && sep !== 9 && sep !== 11 && sep !== 12 && sep !== 13) return false;
  }
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (b[i] !== 45) return false;
    } else if (HEX[b[i]!] !== 1) return false;
  }
  return true;
}

export class TokenLineHandler {
  constructor(
    private readonly protocol: string,
    private readonly tokens: TokenResolver,
    private readonly batcher: EventBatcher,
    private readonly metrics: ServerMetrics,
    private readonly anywhere: boolean,
  ) {}

  private readonly isKnown = (t: string) => this.tokens.resolve(t) !== undefined;

  /** The peer of a connection or datagram from this address. */
  peer(host: string | null): LinePeer {
    return { host, fieldsJson: plainFieldsJson(this.protocol, host) };
  }

  line(bytes: Buffer, truncated: boolean, peer: LinePeer): void {
    if (!this.anywhere && !truncated && uuidAtStart(bytes)) {
      const log = this.tokens.resolve(bytes.toString("latin1", 0, 36));
      if (!log) {
        this.metrics.ingestLines.inc({ protocol: this.protocol, result: "rejected", reason: "token_unknown" });
        return;
      }
      let message = bytes.length > 37 ? bytes.toString("utf8", 37) : "";
      if (message.includes("\u2028")) message = message.replaceAll("\u2028", "\n");
      this.batcher.add(log.id, plainLineEvent(message, peer.host, peer.fieldsJson), bytes.length);
      return;
    }
    const p = parseTokenLine(bytes.toString("utf8"), this.anywhere, this.isKnown);
    if (!p.ok) {
      if (p.reason !== "empty") this.metrics.ingestLines.inc({ protocol: this.protocol, result: "rejected", reason: p.reason });
      return;
    }
    const log = this.tokens.resolve(p.token);
    if (!log) {
      this.metrics.ingestLines.inc({ protocol: this.protocol, result: "rejected", reason: "token_unknown" });
      return;
    }
    if (truncated) this.metrics.ingestLines.inc({ protocol: this.protocol, result: "truncated", reason: "max_line_bytes" });
    this.batcher.add(log.id, lineEvent({ message: p.message, host: peer.host, transport: this.protocol, truncated }), bytes.length);
  }
}
