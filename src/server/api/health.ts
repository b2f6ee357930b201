// GET /healthz (the process answers), /readyz (the store answers and can take writes), /metrics (Prometheus text).
import type { FastifyInstance } from "fastify";
import type { ServerMetrics } from "../metrics.js";
import type { Store } from "../storage/store.js";
import { storageErrorOf } from "../storage/storage-errors.js";

export function registerHealthRoutes(app: FastifyInstance, store: Store, metrics: ServerMetrics): void {
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => {
    let problem: string | undefined;
    let code = "LH_ERR_SERVER";
    try {
      store.count();
      problem = store.writeProblem();
      // A full disk or a damaged database: named, for whoever watches readiness.
      const fault = store.writeFault?.();
      if (fault !== undefined && problem === fault.message) code = fault.code;
    } catch (e) {
      const fault = storageErrorOf(e);
      problem = fault?.message ?? "the database does not answer";
      if (fault) code = fault.code;
    }
    if (problem === undefined) return { status: "ready" };
    return reply.status(503).send({ error: { code, message: `store: not ready (${problem})` } });
  });
  app.get("/metrics", async (_req, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
}
