// One token line (TCP, TLS or UDP) → an event in the token's log, or a counted rejection.
// A line with a missing or unknown token is dropped: it is never stored in any other log.
import type { ServerMetrics } from "../../metrics.js";
import type { EventBatcher } from "../common/batcher.js";
import { lineEvent } from "../common/line-event.js";
import type { TokenResolver } from "../common/token-resolver.js";
import { parseTokenLine } from "./token-line.js";

export class TokenLineHandler {
  constructor(
    private readonly protocol: string,
    private readonly tokens: TokenResolver,
    private readonly batcher: EventBatcher,
    private readonly metrics: ServerMetrics,
    private readonly anywhere: boolean,
  ) {}

  private readonly isKnown = (t: string) => this.tokens.resolve(t) !== undefined;

  line(bytes: Buffer, truncated: boolean, host: string | null): void {
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
    this.batcher.add(log.id, lineEvent({ message: p.message, host, transport: this.protocol, truncated }));
  }
}
