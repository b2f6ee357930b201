import { test } from "node:test";
import assert from "node:assert/strict";
import { assertSupported, parseDestination, redactToken } from "./destination.js";
import { LogharborError } from "../core/errors.js";

test("parses http(s) destinations into the ingest URL and the token", () => {
  const table: [input: string, flagToken: string | undefined, ingest: string, token: string | undefined, display: string][] = [
    ["http://server:8080", "t1", "http://server:8080/api/v1/ingest/journal", "t1", "http://server:8080"],
    ["http://server:8080/", undefined, "http://server:8080/api/v1/ingest/journal", undefined, "http://server:8080"],
    ["https://logs.example.com", "t1", "https://logs.example.com/api/v1/ingest/journal", "t1", "https://logs.example.com"],
    ["http://server:8080?token=abc", undefined, "http://server:8080/api/v1/ingest/journal", "abc", "http://server:8080"],
    ["http://server:8080/?token=abc", "abc", "http://server:8080/api/v1/ingest/journal", "abc", "http://server:8080"],
    ["http://proxy/logharbor", "t", "http://proxy/logharbor/api/v1/ingest/journal", "t", "http://proxy/logharbor"],
    ["http://server:8080/api/v1/ingest/journal", "t", "http://server:8080/api/v1/ingest/journal", "t", "http://server:8080"],
    ["http://[::1]:8080", "t", "http://[::1]:8080/api/v1/ingest/journal", "t", "http://[::1]:8080"],
  ];
  for (const [input, flag, ingest, token, display] of table) {
    const d = parseDestination(input, flag);
    assertSupported(d);
    assert.equal(d.ingestUrl.href, ingest, input);
    assert.equal(d.token, token, input);
    assert.equal(d.display, display, input);
    assert.ok(!d.display.includes("token") && !d.ingestUrl.href.includes("token"), `${input}: token stripped`);
  }
});

test("http(s) destinations: compression gzip by default, none to a loopback address, ?compression= overrides", () => {
  const table: [string, "gzip" | "none"][] = [
    ["https://logs.example.com", "gzip"],
    ["http://10.0.0.5:8080", "gzip"],
    ["http://127.0.0.1:8080", "none"],
    ["http://127.1.2.3:8080", "none"],
    ["http://localhost:8080", "none"],
    ["http://[::1]:8080", "none"],
    ["http://127.0.0.1:8080?compression=gzip", "gzip"],
    ["http://server:8080?compression=none&token=t", "none"],
    ["http://server:8080?compression=auto", "gzip"],
  ];
  for (const [input, want] of table) {
    const d = parseDestination(input, undefined);
    assertSupported(d);
    assert.equal(d.compression, want, input);
  }
  assert.throws(() => parseDestination("http://server:8080?compression=zstd"), /compression=zstd is not one of gzip, none, auto/);
});

test("recognises the other destination kinds and says they are not supported yet", () => {
  const table: [string, string][] = [
    ["logentries+tls://data.logentries.com:443", "logentries"],
    ["logentries+tcp://data.logentries.com:80", "logentries"],
    ["syslog+tcp://10.0.0.1:514", "syslog"],
    ["syslog+tls://10.0.0.1:6514", "syslog"],
    ["syslog+udp://10.0.0.1:514", "syslog"],
    ["loki+http://loki:3100", "loki"],
    ["elasticsearch+https://es:9200", "elasticsearch"],
    ["file:///var/log/out.export", "file"],
    ["stdout:", "stdout"],
  ];
  for (const [input, kind] of table) {
    const d = parseDestination(input);
    assert.equal(d.kind, kind, input);
    assert.throws(
      () => assertSupported(d),
      (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_DESTINATION" && /not supported yet/.test(e.message),
      input,
    );
  }
});

test("rejects bad destinations naming the accepted forms, never echoing a token", () => {
  const table: [input: string, flagToken: string | undefined, why: RegExp][] = [
    ["", undefined, /not a URL/],
    ["server:8080", undefined, /unknown scheme "server:"/],
    ["ftp://server", undefined, /unknown scheme "ftp:"/],
    ["http://", undefined, /not a URL/],
    ["http://server:8080?tokn=abc", undefined, /unknown query parameter "tokn"/],
    ["http://server:8080?token=", undefined, /empty/],
    ["http://server:8080?token=secret1", "secret2", /differ/],
    ["http://user:secret@server:8080", undefined, /credentials/],
    ["logentries+tls://host", undefined, /port is required/],
    ["syslog+udp://:514", undefined, /not a URL|no host/],
    ["file://host/path", undefined, /absolute path/],
    ["file:///tmp/", undefined, /name a file/],
  ];
  for (const [input, flag, why] of table) {
    assert.throws(
      () => parseDestination(input, flag),
      (e: unknown) =>
        e instanceof LogharborError &&
        e.code === "LH_ERR_DESTINATION" &&
        why.test(e.message) &&
        e.message.includes("http(s)://server:port") &&
        !e.message.includes("secret1"),
      input,
    );
  }
});

test("masks token values in text", () => {
  assert.equal(redactToken("http://s:1/?token=abc&x=1"), "http://s:1/?token=***&x=1");
  assert.equal(redactToken("http://s:1/?a=b&token=abc"), "http://s:1/?a=b&token=***");
});
