// Errors as they cross between threads: a LogharborError keeps its code, status and position; any
// other error its message and its code (SQLite's, say).
import { isLogharborError, LogharborError, type ErrorCode } from "../errors.js";

export interface ErrorJson {
  message: string;
  code?: string;
  status?: number;
  position?: number;
}

export function errorJson(e: unknown): ErrorJson {
  if (isLogharborError(e)) {
    return { message: e.message, code: e.code, status: e.status, ...(e.position !== undefined ? { position: e.position } : {}) };
  }
  const code = (e as { code?: unknown } | null)?.code;
  return { message: e instanceof Error ? e.message : String(e), ...(typeof code === "string" ? { code } : {}) };
}

export function errorOf(j: ErrorJson): Error {
  if (j.code?.startsWith("LH_ERR_")) {
    return new LogharborError(j.code as ErrorCode, j.message, {
      ...(j.status !== undefined ? { status: j.status } : {}), ...(j.position !== undefined ? { position: j.position } : {}),
    });
  }
  return Object.assign(new Error(j.message), j.code !== undefined ? { code: j.code } : {});
}
