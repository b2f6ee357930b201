// Saved queries: a name, the query, its time range and logs, kept by the server
// (/api/v1/saved-queries) so every browser and the CLI (`logharbor query --saved NAME`) see them.
// Saving under an existing name replaces that query. Queries an older page kept in this browser's
// localStorage are moved to the server once (migrateLocalSaved).
import { useState } from "preact/hooks";
import * as api from "../api.js";
import type { SavedQueryJson } from "../../core/api-json.js";

export interface SavedQuery {
  name: string;
  q: string;
  from: string;
  to: string;
  log: string;
}

/** Where the page kept saved queries before the server did. */
const LOCAL = "logharbor.savedQueries";

function sameQuery(a: SavedQuery, b: SavedQuery): boolean {
  return a.q === b.q && a.from === b.from && a.to === b.to && a.log === b.log;
}

function isConflict(e: unknown): boolean {
  return (e as api.ApiError).code === "LH_ERR_SAVED_QUERY_EXISTS";
}

let migrating: Promise<number> | undefined;

/**
 * Moves the queries saved in this browser to the server, once: each is created there (under
 * "NAME (this browser)" when the server has a different query by that name); those the server
 * refuses for another reason (no key yet, a read-only key, a log that no longer exists) stay in the
 * browser and are tried again at the next load. Resolves with the number moved.
 */
export function migrateLocalSaved(): Promise<number> {
  migrating ??= (async () => {
    let local: SavedQuery[];
    try {
      const v = JSON.parse(localStorage.getItem(LOCAL) ?? "[]") as unknown;
      local = Array.isArray(v) ? (v as SavedQuery[]).filter((s) => s && typeof s.name === "string") : [];
    } catch {
      local = [];
    }
    if (local.length === 0) {
      localStorage.removeItem(LOCAL);
      return 0;
    }
    const server = await api.listSavedQueries().catch(() => undefined);
    if (!server) return 0;
    const kept: SavedQuery[] = [];
    let moved = 0;
    for (const s of local) {
      const item: api.SavedQueryInput = { name: s.name, q: s.q ?? "", from: s.from ?? "-1h", to: s.to ?? "now", log: s.log ?? "" };
      const there = server.find((x) => x.name === item.name);
      if (there && sameQuery(there, item)) continue;
      try {
        await api.createSavedQuery(there ? { ...item, name: `${item.name} (this browser)` } : item);
        moved++;
      } catch (e) {
        if (!isConflict(e)) kept.push(s);
      }
    }
    if (kept.length > 0) localStorage.setItem(LOCAL, JSON.stringify(kept));
    else localStorage.removeItem(LOCAL);
    return moved;
  })().finally(() => (migrating = undefined));
  return migrating;
}

export function SavedQueries(p: { current: Omit<SavedQuery, "name">; onOpen(s: SavedQuery): void }) {
  const [open, setOpen] = useState(false);
  const [list, setList] = useState<SavedQueryJson[] | undefined>();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | undefined>();

  const load = async () => {
    try {
      await migrateLocalSaved();
      setList(await api.listSavedQueries());
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const save = async (e: Event) => {
    e.preventDefault();
    const n = name.trim();
    if (!n) return;
    const item = { name: n, ...p.current };
    try {
      const existing = list?.find((s) => s.name === n);
      try {
        await (existing ? api.updateSavedQuery(existing.id, item) : api.createSavedQuery(item));
      } catch (err) {
        // Saved meanwhile from another browser: replace it, as saving under a taken name does here.
        if (existing || !isConflict(err)) throw err;
        await api.updateSavedQuery(n, item);
      }
      setName("");
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const remove = async (s: SavedQueryJson) => {
    try {
      await api.deleteSavedQuery(s.id);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div class="saved">
      <button type="button" class="btn" aria-expanded={open} onClick={() => { if (!open) void load(); setOpen(!open); }}>
        ★ Saved
      </button>
      {open && (
        <div class="menu saved-menu" onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
          <form class="save-form" onSubmit={(e) => void save(e)}>
            <input name="saved-name" placeholder="Name this query" maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
            <button type="submit" class="btn primary">Save</button>
          </form>
          {error && <div class="error" role="alert">{error}</div>}
          {list === undefined && !error && <div class="muted">Loading…</div>}
          {list?.length === 0 && <div class="muted">No saved queries yet.</div>}
          {list?.map((s) => (
            <div class="saved-item" data-name={s.name}>
              <button type="button" class="menu-item" title={s.q} onClick={() => { setOpen(false); p.onOpen({ name: s.name, q: s.q, from: s.from || "all", to: s.to || "now", log: s.log }); }}>
                <span class="saved-name">{s.name}</span>
                <span class="saved-q">{s.q || "(every event)"}</span>
              </button>
              <button type="button" class="btn icon" aria-label={`delete ${s.name}`} onClick={() => void remove(s)}>✕</button>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
