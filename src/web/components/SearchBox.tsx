// The LEQL query box: field-name and value completion (from /api/v1/fields), the server's syntax
// error marked at its column, `/` anywhere focuses it. Enter always runs what is typed; a completion
// is taken only with Tab or by picking it (click, or arrows then Tab). ArrowDown in a closed box lists
// the queries searched before in this browser.
import { useEffect, useRef, useState } from "preact/hooks";
import * as api from "../api.js";
import { recentQueries } from "../history.js";
import { ALIASES, CLAUSES, KEYWORDS, PRIORITY_NAMES, completionContext, quoteValue, type CompletionContext } from "../leql.js";

export interface SyntaxMark {
  message: string;
  /** 1-based column. */
  column?: number | undefined;
}

interface Props {
  value: string;
  onInput(q: string): void;
  onSubmit(q: string): void;
  error: SyntaxMark | undefined;
  range: { from?: number | undefined; to?: number | undefined; log?: string | undefined };
}

interface Suggestion {
  label: string;
  insert: string;
  hint: string;
}

export function SearchBox(p: Props) {
  const input = useRef<HTMLInputElement>(null);
  const mirror = useRef<HTMLDivElement>(null);
  const [items, setItems] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(0);
  const [ctx, setCtx] = useState<CompletionContext | undefined>();
  const fieldCache = useRef<{ key: string; fields: Promise<api.FieldInfoLike[]> } | undefined>(undefined);
  const seq = useRef(0);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
      if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const fieldsFor = (): Promise<api.FieldInfoLike[]> => {
    const key = JSON.stringify(p.range);
    if (!fieldCache.current || fieldCache.current.key !== key) {
      fieldCache.current = { key, fields: api.fields(p.range).catch(() => []) };
    }
    return fieldCache.current.fields;
  };

  const suggest = async (text: string, caret: number, force = false) => {
    const c = completionContext(text, caret);
    const my = ++seq.current;
    if (!c || (c.kind === "field" && c.prefix.length === 0 && !force)) {
      setItems([]);
      setCtx(undefined);
      return;
    }
    const pre = c.prefix.toLowerCase();
    let list: Suggestion[] = [];
    if (c.kind === "field") {
      const fields = await fieldsFor();
      const names = new Map<string, string>();
      for (const a of ALIASES) names.set(a, "field");
      for (const f of fields) {
        names.set(f.name, `${f.source} · ${f.count}`);
        if (f.alias) names.set(f.alias, `${f.name} · ${f.count}`);
      }
      for (const [n, hint] of names) if (n.toLowerCase().startsWith(pre)) list.push({ label: n, insert: n, hint });
      for (const cl of CLAUSES) if (cl.startsWith(pre)) list.push({ label: cl, insert: cl, hint: "clause" });
      for (const k of KEYWORDS) if (k.toLowerCase().startsWith(pre) && pre.length > 0) list.push({ label: k, insert: k, hint: "keyword" });
    } else {
      const field = c.field!;
      let values: Array<{ value: string | number; count: number }> = [];
      if (/^(priority|PRIORITY)$/.test(field)) values = PRIORITY_NAMES.map((v) => ({ value: v, count: 0 }));
      try {
        values = [...(await api.fieldValues(field, p.range)), ...values];
      } catch {
        /* no completion */
      }
      for (const v of values) {
        const s = String(v.value);
        if (s.toLowerCase().startsWith(pre) || String(quoteValue(v.value)).toLowerCase().startsWith(pre)) {
          list.push({ label: s, insert: quoteValue(v.value), hint: v.count ? String(v.count) : "" });
        }
      }
    }
    if (my !== seq.current) return;
    list = list.filter((s) => s.insert !== c.prefix).slice(0, 12);
    setItems(list);
    setCtx(c);
    setActive(0);
  };

  const accept = (s: Suggestion) => {
    if (!ctx) return;
    const v = p.value;
    const next = v.slice(0, ctx.start) + s.insert + v.slice(ctx.end);
    const caret = ctx.start + s.insert.length;
    // Update the field and its caret now, before the next key arrives (Preact leaves an equal value alone).
    const el = input.current;
    if (el) {
      el.value = next;
      el.setSelectionRange(caret, caret);
      el.focus();
    }
    p.onInput(next);
    setItems([]);
    setCtx(undefined);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const open = items.length > 0;
    if (!open && e.key === "ArrowDown") {
      // The queries searched before (history.ts): Tab or a click takes one, Enter then runs it.
      const past = recentQueries().slice(0, 12);
      if (past.length > 0) {
        e.preventDefault();
        const el = e.currentTarget as HTMLInputElement;
        setCtx({ kind: "field", prefix: "", start: 0, end: el.value.length });
        setItems(past.map((q) => ({ label: q, insert: q, hint: "history" })));
        setActive(0);
      }
    } else if (open && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      e.preventDefault();
      setActive((a) => (a + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length);
    } else if (open && e.key === "Tab" && !e.shiftKey) {
      e.preventDefault();
      const s = items[active];
      if (s) accept(s);
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      e.stopPropagation();
      setItems([]);
    } else if (e.key === " " && e.ctrlKey) {
      e.preventDefault();
      const el = e.currentTarget as HTMLInputElement;
      void suggest(el.value, el.selectionStart ?? el.value.length, true);
    } else if (e.key === "Enter") {
      e.preventDefault();
      seq.current++; // a completion still being fetched must not pop up after the search
      setItems([]);
      setCtx(undefined);
      p.onSubmit((e.currentTarget as HTMLInputElement).value);
    }
  };

  const syncScroll = () => {
    if (mirror.current && input.current) mirror.current.scrollLeft = input.current.scrollLeft;
  };

  const col = p.error?.column;
  const markAt = col !== undefined ? Math.max(0, Math.min(col - 1, p.value.length)) : undefined;

  return (
    <div class="searchbox">
      <div class={`query-wrap${p.error ? " has-error" : ""}`}>
        <div class="query-mirror" ref={mirror} aria-hidden="true">
          {markAt !== undefined ? (
            <>
              {p.value.slice(0, markAt)}
              <mark class="syntax-mark" data-column={col}>{p.value.slice(markAt, markAt + 1) || " "}</mark>
              {p.value.slice(markAt + 1)}
            </>
          ) : (
            p.value
          )}
        </div>
        <input
          ref={input}
          class="query-input"
          type="text"
          spellcheck={false}
          autocomplete="off"
          placeholder='Search with LEQL, e.g. where(status >= 500 AND host = web-1) — press / to focus'
          aria-label="query"
          aria-invalid={p.error ? "true" : "false"}
          value={p.value}
          onInput={(e) => {
            const el = e.currentTarget;
            p.onInput(el.value);
            void suggest(el.value, el.selectionStart ?? el.value.length);
            syncScroll();
          }}
          onKeyDown={onKeyDown}
          onScroll={syncScroll}
          onKeyUp={syncScroll}
          onBlur={() => setTimeout(() => setItems([]), 150)}
        />
        {items.length > 0 && (
          <ul class="completions" role="listbox">
            {items.map((s, i) => (
              <li
                role="option"
                aria-selected={i === active}
                class={i === active ? "active" : ""}
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(s);
                }}
              >
                <span class="c-label">{s.label}</span>
                <span class="c-hint">{s.hint}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      {p.error && (
        <div class="query-error" role="alert">
          {p.error.message}
        </div>
      )}
    </div>
  );
}
