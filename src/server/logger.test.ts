import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { pathOf } from "./logger.js";
import { startTestServer } from "./testing.js";

const T = "0d9f3c1e-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

test("request paths in the log never hold a token, however the path is spelled", () => {
  const table: Array<[string, string]> = [
    [`/t/${T}/upload`, "/t/[token]/upload"],
    [`//t/${T}/upload`, "//t/[token]/upload"],
    [`/T/${T}/upload`, "/T/[token]/upload"],
    [`/t//${T}/upload`, "/t//[token]/upload"],
    [`/t%2F${T}/upload`, "/t%2F[token]/upload"],
    [`/t/${T.toUpperCase()}/upload`, "/t/[token]/upload"],
    [`/t/not-a-uuid-but-a-guess/upload`, "/t/[token]/upload"],
    [`/t/x;token=${T}`, "/t/[token]"],
    [`/upload;token=${T}`, "/upload"],
    [`/upload?token=${T}`, "/upload"],
    [`/v1/logs/${T}`, "/v1/logs/[token]"],
    [`/V1//Logs/${T}`, "/V1//Logs/[token]"],
    [`/noformat/logs/${T}`, "/noformat/logs/[token]"],
    [`/NOFORMAT/LOGS/${T}`, "/NOFORMAT/LOGS/[token]"],
    [`/some/${T}/thing`, "/some/[redacted]/thing"],
    [`/x/${T.replace(/-/g, "%2D")}`, "/x/[redacted]"],
    [`/x/${T.replace(/-/g, "")}`, "/x/[redacted]"],
    ["/api/v1/keys/lhk_abcDEF-12_3/rotate", "/api/v1/keys/[redacted]/rotate"],
    ["/api/v1/logs", "/api/v1/logs"],
    ["/api/v1/logs/web/token/rotate", "/api/v1/logs/web/token/rotate"],
  ];
  for (const [url, want] of table) assert.equal(pathOf(url), want, url);
});

/** One raw HTTP request, the path sent exactly as written (no client normalises it). */
function rawRequest(url: string, path: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(u.port), u.hostname);
    let answer = "";
    s.on("data", (d: Buffer) => (answer += d.toString()));
    s.on("end", () => resolve(answer));
    s.on("error", reject);
    s.write(`POST ${path} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi`);
  });
}

test("a server logs malformed ingest paths without the token in them", async () => {
  const s = await startTestServer();
  try {
    const token = s.store.createLog("app").token;
    const paths = [
      `//t/${token}/upload`, `/T/${token}/upload`, `/t/${token};token=${token}/upload`, `/upload;token=${token}`,
      `/noformat/logs/${token.toUpperCase()}`, `//noformat//logs/${token}`, `/v1/LOGS/${token}`, `/t%2F${token}/upload`,
    ];
    for (const p of paths) {
      const answer = await rawRequest(s.url, p);
      assert.match(answer, /^HTTP\/1\.1 \d{3}/, p);
    }
    const logs = s.logs();
    assert.ok(logs.includes("request done"), "the requests were logged");
    assert.equal(logs.toLowerCase().includes(token), false, `a token reached the log:\n${logs.split("\n").filter((l) => l.toLowerCase().includes(token)).join("\n")}`);
  } finally {
    await s.stop();
  }
});
