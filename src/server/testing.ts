// Test support: a real server on 127.0.0.1:0 over a temporary data directory, with its logs kept
// in memory so tests can check what was (and was not) logged.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createLogger } from "./logger.js";
import { startServer, type RunningServer, type ServerOptions } from "./server.js";

export interface TestServer extends RunningServer {
  dataDir: string;
  /** Every log line written so far. */
  logs(): string;
  /** Closes the server and removes the data directory. */
  stop(): Promise<void>;
}

export async function startTestServer(opts: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "lh-server-"));
  let text = "";
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  const logger = createLogger({ level: "debug", destination });
  const s = await startServer({ http: "127.0.0.1:0", ...opts, dataDir, logger });
  return Object.assign(s, {
    dataDir,
    logs: () => text,
    async stop() {
      await s.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export interface Answer {
  status: number;
  json: Record<string, unknown> & { error?: { code: string; message: string; position?: number } };
}

export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, json: text === "" ? {} : (JSON.parse(text) as Answer["json"]) };
}

export function jsonBody(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}
