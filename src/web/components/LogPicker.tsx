// Which logs the search covers: all, or one (the URL's log=). The same as `log = NAME` in a query.
import { useEffect, useState } from "preact/hooks";
import * as api from "../api.js";

export function LogPicker(p: { value: string; onChange(log: string): void }) {
  const [logs, setLogs] = useState<string[]>([]);
  useEffect(() => {
    api.listLogs().then((l) => setLogs(l.map((x) => x.name)), () => setLogs([]));
  }, []);
  const names = p.value && !logs.includes(p.value) ? [p.value, ...logs] : logs;
  return (
    <select class="log-picker" aria-label="log" value={p.value} onChange={(e) => p.onChange(e.currentTarget.value)}>
      <option value="">All logs</option>
      {names.map((n) => (
        <option value={n}>{n}</option>
      ))}
    </select>
  );
}
