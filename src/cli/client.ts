// The HTTP client the CLI's client commands (logs, query, keys, tail) use to talk to a server.
// --server URL (env LOGHARBOR_SERVER, default http://127.0.0.1:8080), --api-key KEY (env LOGHARBOR_API_KEY).
import type { Command } from "commander";
import { LogharborError, type ErrorCode } from "../core/errors.js";

export const DEFAULT_SERVER = "http://127.0.0.1:8080";

export interface ClientOptions {
  server: string;
  apiKey?: string;
}

/** Adds --server and --api-key to a client command. */
export function withClientOptions(cmd: Command): Command {
  return cmd
    .option("--server <url>", "server URL (env LOGHARBOR_SERVER)", process.env["LOGHARBOR_SERVER"] ?? DEFAULT_SERVER)
    .option("--api-key <key>", "API key (env LOGHARBOR_API_KEY)", process.env["LOGHARBOR_API_KEY"]);
}

export function clientFrom(opts: { server?: string; apiKey?: string }): Client {
  const server = opts.server ?? DEFAULT_SERVER;
  let url: URL;
  try {
    url = new URL(server);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("protocol");
  } catch {
    throw new LogharborError("LH_ERR_USAGE", `--server: expected an http:// or https:// URL such as ${DEFAULT_SERVER}, got "${server}"`);
  }
  return new Client({ server: url.toString().replace(/\/$/, ""), ...(opts.apiKey ? { apiKey: opts.apiKey } : {}) });
}

export class Client {
  constructor(readonly opts: ClientOptions) {}

  /** A GET whose answer is a stream (Server-Sent Events); errors as request() reports them. */
  async stream(path: string, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { accept: "text/event-stream" };
    if (this.opts.apiKey) headers["x-api-key"] = this.opts.apiKey;
    let res: Response;
    try {
      res = await fetch(this.opts.server + path, { headers, signal });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
      throw new LogharborError("LH_ERR_SERVER", `cannot reach the server at ${this.opts.server} (${cause}); is \`logharbor serve\` running? (set --server or LOGHARBOR_SERVER)`, { status: 503 });
    }
    if (!res.ok) {
      const text = await res.text();
      let err: { code?: string; message?: string; position?: number } | undefined;
      try {
        err = (JSON.parse(text) as { error?: typeof err }).error;
      } catch {
        err = undefined;
      }
      throw new LogharborError((err?.code ?? "LH_ERR_SERVER") as ErrorCode, err?.message ?? `server answered ${res.status}`, {
        status: res.status,
        ...(err?.position !== undefined ? { position: err.position } : {}),
      });
    }
    return res;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.opts.apiKey) headers["x-api-key"] = this.opts.apiKey;
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(this.opts.server + path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
      throw new LogharborError("LH_ERR_SERVER", `cannot reach the server at ${this.opts.server} (${cause}); is \`logharbor serve\` running? (set --server or LOGHARBOR_SERVER)`, { status: 503 });
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text === "" ? {} : JSON.parse(text);
    } catch {
      throw new LogharborError("LH_ERR_SERVER", `server answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string; position?: number } }).error;
      const code = (err?.code ?? "LH_ERR_SERVER") as ErrorCode;
      throw new LogharborError(code, err?.message ?? `server answered ${res.status}`, {
        status: res.status,
        ...(err?.position !== undefined ? { position: err.position } : {}),
      });
    }
    return json as T;
  }
}
