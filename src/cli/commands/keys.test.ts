import { test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer } from "../../server/testing.js";
import { runCli } from "../../../test/harness/processes.js";

test("keys create prints a secret once; a read-only key reads but cannot change anything", async () => {
  const s = await startTestServer();
  try {
    const created = await runCli(["keys", "create", "--read-only", "--server", s.url]);
    assert.equal(created.code, 0, created.stderr);
    const m = /^Created a read-only API key \(id ([\w-]+)\)\. Its secret, shown only now:\n(\S+)\n/.exec(created.stdout);
    assert.ok(m, created.stdout);
    const secret = m[2]!;
    assert.equal(s.store.apiKeyBySecret(secret)?.readOnly, true);

    const list = await runCli(["logs", "list", "--json", "--server", s.url, "--api-key", secret]);
    assert.equal(list.code, 0, list.stderr);
    const refused = await runCli(["logs", "create", "web", "--server", s.url], { LOGHARBOR_API_KEY: secret });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /the API key is read-only and may only read/);
    assert.equal(s.store.logByName("web"), undefined, "nothing was created");

    const rw = await runCli(["keys", "create", "--json", "--server", s.url]);
    const key = JSON.parse(rw.stdout) as { id: string; secret: string; read_only: boolean };
    assert.equal(key.read_only, false);
    assert.equal(s.store.apiKeyBySecret(key.secret)?.id, key.id);
    const quiet = await runCli(["keys", "create", "-q", "--server", s.url]);
    assert.match(quiet.stdout, /^\S+\n$/);
    assert.notEqual(quiet.stdout.trim(), key.secret);
    // Managing keys takes an admin key: a read-write key is refused.
    const notAdmin = await runCli(["keys", "create", "-q", "--server", s.url, "--api-key", key.secret]);
    assert.equal(notAdmin.code, 1);
    assert.match(notAdmin.stderr, /managing API keys takes an admin key/);

    const wrong = await runCli(["keys", "create", "--server", s.url, "--api-key", "not-a-key"]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /the API key is not known/);
    assert.ok(!wrong.stderr.includes("not-a-key"), "the key given is not echoed");
  } finally {
    await s.stop();
  }
});
