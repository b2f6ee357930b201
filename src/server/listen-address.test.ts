import { test } from "node:test";
import assert from "node:assert/strict";
import { isLoopbackHost } from "../core/host.js";
import { parseListenAddress, urlFor } from "./listen-address.js";
import { LogharborError } from "../core/errors.js";

test("parses HOST:PORT listen addresses", () => {
  const table: Array<[string, string, number]> = [
    ["127.0.0.1:8080", "127.0.0.1", 8080],
    ["0.0.0.0:0", "0.0.0.0", 0],
    [":9000", "0.0.0.0", 9000],
    ["[::1]:8080", "::1", 8080],
    ["localhost:80", "localhost", 80],
  ];
  for (const [input, host, port] of table) assert.deepEqual(parseListenAddress(input), { host, port }, input);
  for (const bad of ["8080", "host", "1.2.3.4:70000", "::1:80", "a:b"]) {
    assert.throws(() => parseListenAddress(bad), (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_USAGE" && e.message.includes(`"${bad}"`), bad);
  }
});

test("tells loopback addresses from the others", () => {
  for (const h of ["127.0.0.1", "127.0.0.2", "::1", "localhost", "[::1]", "::ffff:127.0.0.1"]) assert.equal(isLoopbackHost(h), true, h);
  for (const h of ["0.0.0.0", "::", "10.0.0.1", "192.168.1.5", "example.com", "128.0.0.1"]) assert.equal(isLoopbackHost(h), false, h);
});

test("gives a URL this machine can reach", () => {
  assert.equal(urlFor("0.0.0.0", 80), "http://127.0.0.1:80");
  assert.equal(urlFor("::1", 80), "http://[::1]:80");
  assert.equal(urlFor("127.0.0.2", 8080), "http://127.0.0.2:8080");
});
