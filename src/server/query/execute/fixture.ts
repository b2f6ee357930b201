// A small data set with hand-checked answers, for executor, API and CLI tests. Two logs, ten events
// one minute apart from T0 (2024-01-01T00:00:00Z):
//   web (nginx.service): key=value messages with status and ms
//   app (app.service):   JSON messages (nested req.*, a duplicate key), a plain one, a regex-friendly one
import type { NewEvent, Store } from "../../storage/store.js";

export const T0_US = Date.UTC(2024, 0, 1) * 1000;
export const MINUTE_US = 60_000_000;

const WEB: Array<[host: string, message: string, priority: number]> = [
  ["web-1", "GET /a status=200 ms=10", 6],
  ["web-2", "GET /b status=500 ms=30", 3],
  ["web-1", "POST /a status=503 ms=50", 3],
  ["web-1", "GET /a status=200 ms=20", 6],
  ["web-2", "GET /c status=404 ms=40", 4],
];
const APP: string[] = [
  '{"req":{"method":"GET","status":200},"ms":5,"tags":["a","b"]}',
  '{"req":{"method":"POST","status":500},"ms":15}',
  '{"req":{"method":"GET","status":502},"ms":25,"ms":35}',
  "disk full on /dev/sda",
  "took 120ms user=bob",
];

function event(i: number, host: string, unit: string, priority: number, message: string): NewEvent {
  return {
    ident: `fixture:${i}`, tsUs: T0_US + i * MINUTE_US, host, unit, priority, message,
    fieldsJson: JSON.stringify({ MESSAGE: message, _HOSTNAME: host, _SYSTEMD_UNIT: unit, PRIORITY: String(priority), SEQ: String(i) }),
  };
}

export function fixtureEvents(): { web: NewEvent[]; app: NewEvent[] } {
  return {
    web: WEB.map(([h, m, p], i) => event(i, h, "nginx.service", p, m)),
    app: APP.map((m, i) => event(5 + i, "app-1", "app.service", i === 3 ? 2 : 6, m)),
  };
}

/** Creates logs "web" and "app" and stores the data set; returns their ids. */
export function loadFixture(store: Store): { web: string; app: string } {
  const web = store.createLog("web").id;
  const app = store.createLog("app").id;
  const f = fixtureEvents();
  store.insert(web, f.web);
  store.insert(app, f.app);
  return { web, app };
}
