import assert from "node:assert/strict";
import { test } from "node:test";
import { clusterKeys, hostnameProblem, normalizePrefix } from "./keys.js";
import { parseEtcdHosts } from "./client.js";

test("prefixes are normalized to one leading slash and none trailing", () => {
  const table: Array<[string, string]> = [["/logharbor", "/logharbor"], ["logharbor/", "/logharbor"], ["//a//b/", "/a/b"], ["/", ""], ["", ""]];
  for (const [raw, want] of table) assert.equal(normalizePrefix(raw), want, raw);
});

test("an agent's keys sit under the prefix; the Logentries token key does not", () => {
  assert.deepEqual(clusterKeys("/logharbor/", "web-1"), {
    config: "/logharbor/config",
    hostConfig: "/logharbor/hosts/web-1/config",
    token: "/logentries.com/token",
    agents: "/logharbor/agents/",
    agent: "/logharbor/agents/web-1",
    seen: "/logharbor/agents-seen/",
    agentSeen: "/logharbor/agents-seen/web-1",
  });
});

test("a host name that would break the key layout is refused", () => {
  assert.equal(hostnameProblem("web-1.example.com"), undefined);
  for (const bad of ["", "a/b", "a b"]) assert.match(hostnameProblem(bad)!, /--hostname: expected a host name/);
});

test("etcd URLs are checked one by one, comma-separated lists accepted", () => {
  assert.deepEqual(parseEtcdHosts(["http://10.0.0.1:2379,https://10.0.0.2:2379"]), { hosts: ["http://10.0.0.1:2379", "https://10.0.0.2:2379"], problems: [] });
  assert.deepEqual(parseEtcdHosts(["10.0.0.1:2379"]).problems, ['--etcd: expected an etcd client URL such as http://127.0.0.1:2379, got "10.0.0.1:2379"']);
  assert.equal(parseEtcdHosts(["ftp://x:1"]).hosts.length, 0);
});
