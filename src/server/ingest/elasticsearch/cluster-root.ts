// What an Elasticsearch client asks before it sends: `GET /` (version and product checks: Beats,
// Vector, Logstash, the official clients) and a few setup calls. Answered like an Elasticsearch
// 8.9 cluster (the version VictoriaLogs also answers, so agent configurations written for it work),
// every answer with `X-Elastic-Product: Elasticsearch` (the official clients refuse a 2xx without it).
import type { FastifyReply, FastifyRequest } from "fastify";

export const ES_VERSION = "8.9.0";

export function clusterRoot(): object {
  return {
    name: "logharbor",
    cluster_name: "logharbor",
    cluster_uuid: "logharbor-000000000000000",
    version: {
      number: ES_VERSION, build_flavor: "default", build_type: "logharbor", build_hash: "logharbor", build_date: "2023-07-19T00:00:00.000Z",
      build_snapshot: false, lucene_version: "9.7.0", minimum_wire_compatibility_version: "7.17.0", minimum_index_compatibility_version: "7.0.0",
    },
    tagline: "You Know, for Search",
  };
}

export function sendEs(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.status(status).header("x-elastic-product", "Elasticsearch").type("application/json; charset=UTF-8").send(JSON.stringify(body));
}

/**
 * True when a `GET /` comes from an Elasticsearch client rather than a browser (which gets the web
 * page): an Elasticsearch or JSON Accept without text/html, an Elastic client's meta header, a
 * known agent's User-Agent, or credentials (a browser sends none to the page).
 */
export function isElasticsearchClient(req: FastifyRequest): boolean {
  const accept = String(req.headers.accept ?? "").toLowerCase();
  if (accept.includes("text/html")) return false;
  if (accept.includes("application/vnd.elasticsearch") || accept.includes("application/json")) return true;
  if (req.headers["x-elastic-client-meta"] !== undefined || req.headers.authorization !== undefined) return true;
  return /elastic|beat|vector|logstash|fluent|manticore|opensearch/i.test(String(req.headers["user-agent"] ?? ""));
}

/** The cluster root (for app.ts to answer GET / with, for Elasticsearch clients). */
export function sendClusterRoot(_req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendEs(reply, 200, clusterRoot());
}
