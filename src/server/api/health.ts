// GET /healthz (the process answers), /readyz (the store answers and can take writes), /metrics (Prometheus text).
import type { FastifyInstance } from "fastify";
import type { ServerMetrics } from "../metrics.js";
import type { Store } from "../storage/store.js";

export function registerHealthRoutes(app: FastifyInstance, store: Store, metrics: ServerMetrics): void {
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => {
    let problem: string | undefined;
    try {
      store.count();
      problem = store.writeProblem();
    } catch {
      problem = "the database does not answer";
    }
    if (problem === undefined) return { status: "ready" };
    return reply.status(503).send({ error: { code: "LH_ERR_SERVER", message: `store: not ready (${problem})` } });
  });
  app.get("/metrics", async (_req, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
}
