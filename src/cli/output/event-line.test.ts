import { test } from "node:test";
import assert from "node:assert/strict";
import type { EventJson } from "../../core/api-json.js";
import { formatEventLine } from "./event-line.js";
import { terminalSafe } from "./terminal-safe.js";

const ev = (message: string, host = "web-1"): EventJson =>
  ({ id: "1", log: "a", ts: "2024-01-01T00:00:00.000000Z", ts_us: 0, host, unit: "x.service", priority: 6, message, fields: {} }) as unknown as EventJson;

test("a logged line's escape sequences and control characters never reach the terminal; they show as \\xHH", () => {
  const table: Array<[string, string]> = [
    ["\x1b]0;owned\x07title", "\\x1b]0;owned\\x07title"],
    ["clear\x1b[2J\x1b[H", "clear\\x1b[2J\\x1b[H"],
    ["csi\x9b31m c1", "csi\\x9b31m c1"],
    ["over\rwrite", "over\\x0dwrite"],
    ["del\x7f nul\x00", "del\\x7f nul\\x00"],
    ["tab\tstays, é and 日本 too", "tab\tstays, é and 日本 too"],
  ];
  for (const [message, shown] of table) {
    assert.equal(terminalSafe(message), shown);
    assert.equal(formatEventLine(ev(message), false), `2024-01-01T00:00:00.000000Z web-1 x.service: ${shown}`);
    assert.ok(!/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(formatEventLine(ev(message), false)), JSON.stringify(message));
  }
  // In the host too; continuation lines are still indented.
  assert.equal(formatEventLine(ev("a\nb", "h\x1b[1m"), false), "2024-01-01T00:00:00.000000Z h\\x1b[1m x.service: a\n    b");
});
