import { test } from "node:test";
import assert from "node:assert/strict";
import { LogharborError } from "../../core/errors.js";
import { toLogharborError } from "../http-errors.js";
import { storageErrorOf } from "./storage-errors.js";

const err = (code: string, message: string) => Object.assign(new Error(message), { code });

test("names storage faults: a full disk 507 LH_ERR_STORAGE_FULL, a damaged database 503 LH_ERR_STORAGE_CORRUPT, anything else untouched", () => {
  const table: Array<[Error, string | undefined, number | undefined]> = [
    [err("SQLITE_FULL", "database or disk is full"), "LH_ERR_STORAGE_FULL", 507],
    [err("ENOSPC", "ENOSPC: no space left on device, write"), "LH_ERR_STORAGE_FULL", 507],
    [err("EDQUOT", "quota exceeded"), "LH_ERR_STORAGE_FULL", 507],
    [err("SQLITE_IOERR_WRITE", "disk I/O error: no space left"), "LH_ERR_STORAGE_FULL", 507],
    [err("SQLITE_CORRUPT", "database disk image is malformed"), "LH_ERR_STORAGE_CORRUPT", 503],
    [err("SQLITE_CORRUPT_INDEX", "index corrupted"), "LH_ERR_STORAGE_CORRUPT", 503],
    [err("SQLITE_NOTADB", "file is not a database"), "LH_ERR_STORAGE_CORRUPT", 503],
    [err("SQLITE_IOERR_READ", "disk I/O error"), undefined, undefined],
    [err("SQLITE_BUSY", "database is locked"), undefined, undefined],
    [new Error("plain"), undefined, undefined],
  ];
  for (const [e, code, status] of table) {
    const named = storageErrorOf(e);
    assert.equal(named?.code, code, e.message);
    assert.equal(named?.status, status, e.message);
    // The HTTP answer names it too (else a 500 LH_ERR_INTERNAL).
    const http = toLogharborError(e, "req-1");
    assert.equal(http.code, code ?? "LH_ERR_INTERNAL");
  }
  const kept = new LogharborError("LH_ERR_STORAGE_FULL", "x", { status: 507 });
  assert.equal(storageErrorOf(kept), kept, "crossing threads keeps the named error");
  assert.equal(storageErrorOf(new LogharborError("LH_ERR_BATCH", "x")), undefined);
});
