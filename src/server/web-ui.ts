// The web UI: the files built by `vite build` (src/web → dist/web), served at / with no
// authentication (they hold no data; the page calls the /api/v1 API with the user's key).
// dist/web is found from the repository root, so the server finds it both when it runs from dist/
// and from sources (tsx). Without a build, / answers 503 saying how to build it; the API still works.
// Files are read once and kept in memory with their gzip form; hashed assets are cached for a year.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

/** Everything from this server only: the page may not reach any other origin. */
const CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

interface WebFile {
  type: string;
  body: Buffer;
  gzip: Buffer | undefined;
  immutable: boolean;
}

function repoRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, "package.json"))) {
    const up = dirname(d);
    if (up === d) return dirname(fileURLToPath(import.meta.url));
    d = up;
  }
  return d;
}

export function defaultWebDir(): string {
  return join(repoRoot(), "dist", "web");
}

function loadFiles(dir: string): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const type = TYPES[extname(name)] ?? "application/octet-stream";
        const body = readFileSync(p);
        const compressible = /^(text\/|application\/json|image\/svg)/.test(type) && body.length > 512;
        files.set("/" + relative(dir, p).split(sep).join("/"), {
          type, body, gzip: compressible ? gzipSync(body, { level: 9 }) : undefined, immutable: p.includes(`${sep}assets${sep}`),
        });
      }
    }
  };
  walk(dir);
  return files;
}

/** GET / for a client that is not a browser (an Elasticsearch client asking for the cluster root). */
export interface RootForClients {
  wants(req: FastifyRequest): boolean;
  send(req: FastifyRequest, reply: FastifyReply): FastifyReply;
}

export function registerWebUi(app: FastifyInstance, dir = defaultWebDir(), rootForClients?: RootForClients): void {
  const files = existsSync(join(dir, "index.html")) ? loadFiles(dir) : undefined;

  const send = (req: FastifyRequest, reply: FastifyReply, f: WebFile) => {
    reply.header("content-type", f.type).header("x-content-type-options", "nosniff").header("vary", "accept-encoding");
    reply.header("cache-control", f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
    if (f.type.startsWith("text/html")) reply.header("content-security-policy", CSP).header("referrer-policy", "no-referrer");
    const accepts = String(req.headers["accept-encoding"] ?? "");
    if (f.gzip && /\bgzip\b/.test(accepts)) return reply.header("content-encoding", "gzip").send(f.gzip);
    return reply.send(f.body);
  };

  app.get("/", async (req, reply) => {
    if (rootForClients?.wants(req)) return rootForClients.send(req, reply);
    const index = files?.get("/index.html");
    if (!index) {
      return reply
        .status(503)
        .type("text/plain; charset=utf-8")
        .send(`The logharbor web UI is not built (no ${dir}/index.html). Build it with \`npm run build\`; the API under /api/v1 works without it.\n`);
    }
    return send(req, reply, index);
  });
  app.get("/assets/*", async (req, reply) => {
    const f = files?.get(decodeURIComponent(req.url.split("?")[0]!));
    if (!f) return reply.callNotFound();
    return send(req, reply, f);
  });
}
