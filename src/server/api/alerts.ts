// Alerts (docs/alerts.md). {ref} is an alert's id or name. Any key may read; changing needs a read-write key.
//   GET    /api/v1/alerts                 → {"alerts":[AlertJson]}
//   POST   /api/v1/alerts {...}           → 201 {"alert":AlertJson}; 409 when the name is taken (input: alerts/input.ts)
//   GET    /api/v1/alerts/{ref}           → {"alert":AlertJson}
//   DELETE /api/v1/alerts/{ref}           → 204
//   GET    /api/v1/alerts/{ref}/history?limit=N → {"history":[{at,kind,detail}]} newest first
//   POST   /api/v1/alerts/{ref}/test      → 202: a sample notification is on its way (see its history)
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AlertHistoryJson, AlertJson } from "../../core/api-json.js";
import { LogharborError } from "../../core/errors.js";
import { calculatesValue, type AlertEngine } from "../alerts/engine.js";
import { planQuery } from "../query/plan.js";
import { alertInput } from "../alerts/input.js";
import type { AlertDef } from "../alerts/model.js";
import type { Store } from "../storage/store.js";
import { intParam } from "./query-params.js";

export function webhookOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}

export function alertJson(def: AlertDef, engine: AlertEngine, store: Store): AlertJson {
  const st = engine.stateOf(def.id);
  const t = def.trigger;
  const trigger: AlertJson["trigger"] =
    t.kind === "match" ? { kind: "match", throttle_s: t.throttleS }
      : t.kind === "inactivity" ? { kind: "inactivity", for_s: t.forS, per: t.per }
        : { kind: "threshold", count: t.count, window_s: t.windowS, below: t.below, calculated: calculatesValue(planQuery(def.query)) };
  return {
    id: def.id, name: def.name, query: def.query, log: def.logs, trigger, renotify_s: def.renotifyS,
    webhook: webhookOrigin(def.webhook), has_secret: def.secret !== "", payload: def.payload,
    created_at: new Date(def.createdAt).toISOString(),
    status: st.error !== undefined ? "error" : Object.keys(st.firing).length > 0 ? "firing" : "ok",
    ...(st.error !== undefined ? { error: st.error } : {}),
    ...(st.lastFiredMs !== undefined ? { last_fired: new Date(st.lastFiredMs).toISOString() } : {}),
    firing: Object.values(st.firing).map((f) => ({ group: f.group, since: new Date(f.sinceMs).toISOString() })),
    pending_deliveries: store.alerts.pending(def.id),
    sparkline: engine.sparkline(def.id),
  };
}

function alertOf(store: Store, req: FastifyRequest): AlertDef {
  const ref = (req.params as { ref: string }).ref;
  const a = store.alerts.get(ref);
  if (!a) throw new LogharborError("LH_ERR_NOT_FOUND", `alert "${ref.slice(0, 100)}": no alert with this name or id; \`logharbor alerts list\` shows them`, { status: 404 });
  return a;
}

export function registerAlertRoutes(app: FastifyInstance, store: Store, engine: AlertEngine): void {
  app.get("/api/v1/alerts", async () => ({ alerts: store.alerts.list().map((a) => alertJson(a, engine, store)) }));

  app.post("/api/v1/alerts", async (req, reply) => {
    const input = alertInput(req.body, (name) => store.logByName(name) !== undefined || store.logById(name) !== undefined);
    const def = store.alerts.create(input);
    engine.reload();
    req.log.info({ alertId: def.id, trigger: def.trigger.kind }, "created an alert");
    return reply.status(201).send({ alert: alertJson(def, engine, store) });
  });

  app.get("/api/v1/alerts/:ref", async (req) => ({ alert: alertJson(alertOf(store, req), engine, store) }));

  app.delete("/api/v1/alerts/:ref", async (req, reply) => {
    const a = alertOf(store, req);
    store.alerts.delete(a.id);
    engine.reload();
    req.log.info({ alertId: a.id }, "deleted an alert");
    return reply.status(204).send();
  });

  app.get("/api/v1/alerts/:ref/history", async (req) => {
    const a = alertOf(store, req);
    const limit = intParam((req.query as { limit?: unknown }).limit, "limit", 100, 1, 10_000);
    const history: AlertHistoryJson[] = store.alerts.history(a.id, limit).map((h) => ({ at: new Date(h.atMs).toISOString(), kind: h.kind, detail: h.detail }));
    return { history };
  });

  app.post("/api/v1/alerts/:ref/test", async (req, reply) => {
    const a = alertOf(store, req);
    engine.test(a);
    return reply.status(202).send({ queued: true });
  });
}
