// logharbor alerts create NAME --query Q [--log NAME] --webhook URL
//     (--match [--throttle 1m] | --threshold N --window 5m [--below] | --inactivity 10m [--per host|unit|log])
//     [--renotify 1h] [--secret S] [--payload json|logentries]
// logharbor alerts list [--json] | show NAME [--json] | history NAME [--limit N] [--json] | test NAME | delete NAME
import type { Command } from "commander";
import type { AlertHistoryJson, AlertJson } from "../../core/api-json.js";
import { LogharborError } from "../../core/errors.js";
import { formatDuration } from "../../core/time.js";
import { clientFrom, withClientOptions } from "../client.js";
import { printTable } from "../output/table.js";

type ClientOpts = { server: string; apiKey?: string };

interface CreateOpts extends ClientOpts {
  query?: string;
  log?: string[];
  webhook?: string;
  match?: boolean;
  throttle?: string;
  threshold?: string;
  window?: string;
  below?: boolean;
  inactivity?: string;
  per?: string;
  renotify?: string;
  secret?: string;
  payload?: string;
}

const SPARKS = "▁▂▃▄▅▆▇█";

/** A row of counts as a one-line bar chart. */
export function sparkline(counts: readonly number[]): string {
  const max = Math.max(0, ...counts);
  return counts.map((n) => (max === 0 ? SPARKS[0] : SPARKS[Math.min(SPARKS.length - 1, Math.round((n / max) * (SPARKS.length - 1)))])).join("");
}

export function triggerText(t: AlertJson["trigger"]): string {
  if (t.kind === "match") return `match (at most one notification per ${formatDuration(t.throttle_s)})`;
  if (t.kind === "inactivity") return `inactivity: no entry for ${formatDuration(t.for_s)} per ${t.per}`;
  return `threshold: ${t.calculated ? "value" : "count"} ${t.below ? "<" : ">"} ${t.count} in ${formatDuration(t.window_s)}`;
}

/** The body of POST /api/v1/alerts from the flags (the server checks the values). */
export function createBody(name: string, o: CreateOpts): Record<string, unknown> {
  const triggers = [o.match ? "--match" : "", o.threshold !== undefined ? "--threshold" : "", o.inactivity !== undefined ? "--inactivity" : ""].filter((t) => t);
  if (triggers.length !== 1) {
    throw new LogharborError("LH_ERR_USAGE", `alerts create: give exactly one trigger: --match, --threshold N --window 5m, or --inactivity 10m (got ${triggers.length === 0 ? "none" : triggers.join(", ")})`);
  }
  const threshold = o.threshold === undefined ? undefined : Number(o.threshold);
  if (threshold !== undefined && !Number.isFinite(threshold)) throw new LogharborError("LH_ERR_USAGE", `--threshold: expected a number, got "${o.threshold}"`);
  return {
    name, query: o.query ?? "", log: o.log ?? [], webhook: o.webhook,
    ...(o.match ? { match: true } : {}), ...(o.throttle !== undefined ? { throttle: o.throttle } : {}),
    ...(threshold !== undefined ? { threshold } : {}), ...(o.window !== undefined ? { window: o.window } : {}), ...(o.below ? { below: true } : {}),
    ...(o.inactivity !== undefined ? { inactivity: o.inactivity } : {}), ...(o.per !== undefined ? { per: o.per } : {}),
    ...(o.renotify !== undefined ? { renotify: o.renotify } : {}), ...(o.secret !== undefined ? { secret: o.secret } : {}),
    ...(o.payload !== undefined ? { payload: o.payload } : {}),
  };
}

function describe(a: AlertJson): string {
  const lines = [
    `${a.name}  (${a.status}${a.error ? `: ${a.error}` : ""})`,
    `  query     ${a.query || "(every entry)"}${a.log.length > 0 ? `  in ${a.log.join(", ")}` : ""}`,
    `  trigger   ${triggerText(a.trigger)}${a.renotify_s > 0 ? `, repeated every ${formatDuration(a.renotify_s)} while firing` : ""}`,
    `  webhook   ${a.webhook}/…  (${a.payload}${a.has_secret ? ", signed" : ""})`,
    `  last hour ${sparkline(a.sparkline)}  ${a.sparkline.reduce((x, y) => x + y, 0)} matching`,
    `  last fired ${a.last_fired ?? "never"}; ${a.pending_deliveries} notification(s) waiting for the receiver`,
  ];
  for (const f of a.firing) lines.push(`  firing since ${f.since}${Object.keys(f.group).length > 0 ? ` for ${JSON.stringify(f.group)}` : ""}`);
  return `${lines.join("\n")}\n`;
}

export function registerAlerts(program: Command): void {
  const alerts = program.command("alerts").description("alerts on queries (match, threshold, inactivity) sent to webhooks");

  withClientOptions(
    alerts
      .command("create <name>")
      .description("create an alert")
      .option("--query <leql>", "the entries it watches (LEQL; with groupby(...) a threshold applies per group)")
      .option("--log <name>", "a log it watches (repeatable; default: all)", (v: string, prev: string[] = []) => [...prev, v])
      .requiredOption("--webhook <url>", "where notifications are POSTed")
      .option("--match", "notify on every matching entry (batched, see --throttle)")
      .option("--throttle <duration>", "--match: at most one notification this often (default 1m)")
      .option("--threshold <n>", "notify when the count (or the calculated value) in --window is above N")
      .option("--window <duration>", "--threshold: the sliding window, e.g. 5m")
      .option("--below", "--threshold: notify when it is below N instead")
      .option("--inactivity <duration>", "notify when no entry arrived for this long")
      .option("--per <host|unit|log>", "--inactivity: per host (default), unit or log")
      .option("--renotify <duration>", "repeat while still firing this often (default: never)")
      .option("--secret <secret>", "sign each body: X-Logharbor-Signature: sha256=HMAC-SHA256(secret, body)")
      .option("--payload <json|logentries>", "the body's form (default json)"),
  ).action(async (name: string, opts: CreateOpts) => {
    const { alert } = await clientFrom(opts).request<{ alert: AlertJson }>("POST", "/api/v1/alerts", createBody(name, opts));
    process.stdout.write(`Created alert "${alert.name}" (id ${alert.id}).\n${describe(alert)}Try it: logharbor alerts test "${alert.name}"\n`);
  });

  withClientOptions(alerts.command("list").description("every alert with its state").option("--json", "one JSON object per alert")).action(
    async (opts: ClientOpts & { json?: boolean }) => {
      const { alerts: list } = await clientFrom(opts).request<{ alerts: AlertJson[] }>("GET", "/api/v1/alerts");
      if (opts.json) {
        for (const a of list) process.stdout.write(`${JSON.stringify(a)}\n`);
        return;
      }
      if (list.length === 0) {
        process.stdout.write("No alerts. Create one: logharbor alerts create NAME --query 'where(error)' --match --webhook URL\n");
        return;
      }
      printTable(["NAME", "STATUS", "TRIGGER", "LAST FIRED", "LAST HOUR"], list.map((a) => [a.name, a.status, triggerText(a.trigger), a.last_fired ?? "never", sparkline(a.sparkline)]));
    },
  );

  withClientOptions(alerts.command("show <name>").description("one alert, its state and what fires").option("--json", "as JSON")).action(
    async (name: string, opts: ClientOpts & { json?: boolean }) => {
      const { alert } = await clientFrom(opts).request<{ alert: AlertJson }>("GET", `/api/v1/alerts/${encodeURIComponent(name)}`);
      process.stdout.write(opts.json ? `${JSON.stringify(alert)}\n` : describe(alert));
    },
  );

  withClientOptions(
    alerts.command("history <name>").description("state changes and delivery attempts, newest first").option("--limit <n>", "at most N entries (default 50)").option("--json", "one JSON object per entry"),
  ).action(async (name: string, opts: ClientOpts & { json?: boolean; limit?: string }) => {
    const { history } = await clientFrom(opts).request<{ history: AlertHistoryJson[] }>("GET", `/api/v1/alerts/${encodeURIComponent(name)}/history?limit=${encodeURIComponent(opts.limit ?? "50")}`);
    if (opts.json) {
      for (const h of history) process.stdout.write(`${JSON.stringify(h)}\n`);
      return;
    }
    printTable(["AT", "WHAT", "DETAIL"], history.map((h) => [h.at, h.kind, JSON.stringify(h.detail)]));
  });

  withClientOptions(alerts.command("test <name>").description("send a sample notification to the alert's webhook")).action(async (name: string, opts: ClientOpts) => {
    await clientFrom(opts).request("POST", `/api/v1/alerts/${encodeURIComponent(name)}/test`, {});
    process.stdout.write(`A sample notification of "${name}" is on its way; \`logharbor alerts history ${JSON.stringify(name)}\` shows whether it was delivered.\n`);
  });

  withClientOptions(alerts.command("delete <name>").description("delete an alert (its history and waiting notifications go too)")).action(async (name: string, opts: ClientOpts) => {
    await clientFrom(opts).request("DELETE", `/api/v1/alerts/${encodeURIComponent(name)}`);
    process.stdout.write(`Deleted alert "${name}".\n`);
  });
}
