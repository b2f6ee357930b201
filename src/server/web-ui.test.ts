import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import Fastify from "fastify";
import { registerWebUi } from "./web-ui.js";

test("answers / with how to build the page when the web UI is not built", async () => {
  const app = Fastify();
  registerWebUi(app, join(tmpdir(), "lh-no-such-web-dir"));
  const res = await app.inject({ url: "/" });
  assert.equal(res.statusCode, 503);
  assert.match(res.body, /not built.*npm run build/s);
  assert.equal((await app.inject({ url: "/assets/x.js" })).statusCode, 404);
  await app.close();
});

test("serves the built page, gzipped when asked, with hashed assets cached for good", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lh-web-"));
  try {
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "index.html"), "<!doctype html><div id=app></div>");
    writeFileSync(join(dir, "assets", "index-abc.js"), "console.log(1);".repeat(100));
    const app = Fastify();
    registerWebUi(app, dir);
    const page = await app.inject({ url: "/" });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers["content-type"]), /text\/html/);
    assert.match(String(page.headers["content-security-policy"]), /default-src 'self'/);
    const js = await app.inject({ url: "/assets/index-abc.js", headers: { "accept-encoding": "gzip, br" } });
    assert.equal(js.headers["content-encoding"], "gzip");
    assert.match(String(js.headers["cache-control"]), /immutable/);
    assert.equal((await app.inject({ url: "/assets/../index.html" })).statusCode, 404);
    assert.equal((await app.inject({ url: "/assets/missing.js" })).statusCode, 404);
    await app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
