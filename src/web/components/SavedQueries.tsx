// Saved queries: a name, the query, its time range and logs. Kept in this browser (localStorage).
import { useState } from "preact/hooks";

export interface SavedQuery {
  name: string;
  q: string;
  from: string;
  to: string;
  log: string;
}

const STORAGE = "logharbor.savedQueries";

export function loadSaved(): SavedQuery[] {
  try {
    const v = JSON.parse(localStorage.getItem(STORAGE) ?? "[]") as unknown;
    return Array.isArray(v) ? (v as SavedQuery[]) : [];
  } catch {
    return [];
  }
}

function store(list: SavedQuery[]): void {
  localStorage.setItem(STORAGE, JSON.stringify(list));
}

export function SavedQueries(p: { current: Omit<SavedQuery, "name">; onOpen(s: SavedQuery): void }) {
  const [open, setOpen] = useState(false);
  const [list, setList] = useState<SavedQuery[]>(loadSaved);
  const [name, setName] = useState("");
  const save = (e: Event) => {
    e.preventDefault();
    const n = name.trim();
    if (!n) return;
    const next = [...list.filter((s) => s.name !== n), { name: n, ...p.current }].sort((a, b) => a.name.localeCompare(b.name));
    store(next);
    setList(next);
    setName("");
  };
  const remove = (n: string) => {
    const next = list.filter((s) => s.name !== n);
    store(next);
    setList(next);
  };
  return (
    <div class="saved">
      <button type="button" class="btn" aria-expanded={open} onClick={() => { setList(loadSaved()); setOpen(!open); }}>
        ★ Saved
      </button>
      {open && (
        <div class="menu saved-menu" onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
          <form class="save-form" onSubmit={save}>
            <input name="saved-name" placeholder="Name this query" value={name} onInput={(e) => setName(e.currentTarget.value)} />
            <button type="submit" class="btn primary">Save</button>
          </form>
          {list.length === 0 && <div class="muted">No saved queries yet.</div>}
          {list.map((s) => (
            <div class="saved-item">
              <button type="button" class="menu-item" title={s.q} onClick={() => { setOpen(false); p.onOpen(s); }}>
                <span class="saved-name">{s.name}</span>
                <span class="saved-q">{s.q || "(every event)"}</span>
              </button>
              <button type="button" class="btn icon" aria-label={`delete ${s.name}`} onClick={() => remove(s.name)}>✕</button>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
