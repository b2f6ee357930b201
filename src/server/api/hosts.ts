// The fleet view (fleet/hosts.ts):
//   GET    /api/v1/hosts[?silent_after=10m]   → HostsJson, the host that needs attention first
//   DELETE /api/v1/hosts/{host}/agent         → 204: forget a host's agent report (a host retired for good)
import type { FastifyInstance } from "fastify";
import { LogharborError } from "../../core/errors.js";
import type { AlertEngine } from "../alerts/engine.js";
import { durationParam } from "../alerts/input.js";
import type { AgentReports } from "../fleet/agent-reports.js";
import { DEFAULT_SILENT_AFTER_S, hostsView } from "../fleet/hosts.js";
import type { Store } from "../storage/store.js";

export function registerHostRoutes(app: FastifyInstance, store: Store, reports: AgentReports, alerts: AlertEngine | undefined): void {
  app.get("/api/v1/hosts", async (req) => {
    const q = req.query as { silent_after?: unknown };
    const silentAfter = durationParam(q.silent_after, "silent_after", DEFAULT_SILENT_AFTER_S, 1, 365 * 86400, "LH_ERR_QUERY_PARAM");
    return hostsView(store, reports, alerts, silentAfter);
  });

  app.delete("/api/v1/hosts/:host/agent", async (req, reply) => {
    const host = (req.params as { host: string }).host;
    if (!reports.forget(host)) {
      throw new LogharborError("LH_ERR_NOT_FOUND", `host "${host.slice(0, 100)}": no agent report kept for it; GET /api/v1/hosts lists the hosts`, { status: 404 });
    }
    return reply.status(204).send();
  });
}
