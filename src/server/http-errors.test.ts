import { test } from "node:test";
import assert from "node:assert/strict";
import { LogharborError } from "../core/errors.js";
import { toLogharborError } from "./http-errors.js";

test("turns errors into the API error shape without leaking internals", () => {
  const own = new LogharborError("LH_ERR_TIME", "from: bad", { status: 400 });
  assert.equal(toLogharborError(own, "r1"), own);
  const fastify = Object.assign(new Error("Unsupported Media Type: text/plain"), { statusCode: 415 });
  assert.deepEqual(toLogharborError(fastify, "r1").toJSON(), { code: "LH_ERR_REQUEST", message: "request: Unsupported Media Type: text/plain" });
  const internal = toLogharborError(new Error("SQLITE_CORRUPT at /secret/path"), "req-7");
  assert.equal(internal.status, 500);
  assert.equal(internal.code, "LH_ERR_INTERNAL");
  assert.equal(internal.message.includes("/secret/path"), false);
  assert.match(internal.message, /req-7/);
});
