// The queries searched in this browser, newest first (at most 30, no repeats), for ArrowDown in the
// query box. Kept in localStorage; nothing leaves the browser.
const KEY = "logharbor.history";
export const MAX_HISTORY = 30;

export function recentQueries(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? "[]") as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export function rememberQuery(q: string): void {
  const t = q.trim();
  if (t === "") return;
  const list = [t, ...recentQueries().filter((x) => x !== t)].slice(0, MAX_HISTORY);
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    /* storage full or off: no history */
  }
}
