// logharbor web UI: search (LEQL, histogram, virtualised results, details), statistics, live tail,
// logs and their tokens, saved queries. Talks only to the public /api/v1 API.
import { render } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import * as api from "./api.js";
import { ApiKeyDialog } from "./components/ApiKeyDialog.js";
import { Details } from "./components/Details.js";
import { Histogram } from "./components/Histogram.js";
import { LogsPage } from "./components/LogsPage.js";
import { LogPicker } from "./components/LogPicker.js";
import { FieldSidebar } from "./components/FieldSidebar.js";
import { download, toCsv, toNdjson } from "./export.js";
import { rememberQuery } from "./history.js";
import { AlertsPage, type AlertDraft } from "./components/AlertsPage.js";
import { HostsPage } from "./components/HostsPage.js";
import { ResultList } from "./components/ResultList.js";
import { SavedQueries, migrateLocalSaved } from "./components/SavedQueries.js";
import { SearchBox, type SyntaxMark } from "./components/SearchBox.js";
import { Stats } from "./components/Stats.js";
import { TimeRange } from "./components/TimeRange.js";
import { addCondition, highlightTerms, looksLikeStatistics } from "./leql.js";
import { readState, resolveTime, setZone, stateUrl, zone, type ViewState, type Zone } from "./state.js";
import { startTail } from "./tail.js";
import type { BucketJson, QueryEventJson, StatisticsAnswerJson } from "../core/api-json.js";
import "./styles.css";

const PAGE = 500;
const HISTOGRAM_BUCKETS = 120;
const TAIL_MAX_ROWS = 10_000;

/** Timings of the last search, read by bench/web.ts and the tests. */
interface RunTiming {
  seq: number;
  started: number;
  /** When both requests (results and histogram) had been handed to fetch: they go out together. */
  requested?: number;
  results?: number;
  histogram?: number;
  /** Set when the search has answered (results, statistics or an error). */
  done?: boolean;
}
declare global {
  interface Window {
    __logharbor?: { run?: RunTiming };
  }
}

type Theme = "auto" | "light" | "dark";

function applyTheme(t: Theme): void {
  if ((document.documentElement.dataset["theme"] ?? "auto") === t) return;
  if (t === "auto") delete document.documentElement.dataset["theme"];
  else document.documentElement.dataset["theme"] = t;
  window.dispatchEvent(new Event("logharbor-theme"));
}

interface Tail {
  rate: number;
  sampling: number;
  paused: boolean;
  held: number;
  error?: string | undefined;
  connected: boolean;
  /** Lost and trying again (why); undefined while connected or before the first connection. */
  lost?: string | undefined;
  /** The server refused the tail (a statistics query, a bad one): it is over. */
  stopped?: boolean;
  /** Entries stored while disconnected, shown after a reconnection. */
  resumed?: string | undefined;
}

function App() {
  const [state, setState] = useState<ViewState>(readState);
  const [draft, setDraft] = useState(state.q);
  const [events, setEvents] = useState<QueryEventJson[]>([]);
  const [nextPage, setNextPage] = useState<string | undefined>();
  const [stats, setStats] = useState<StatisticsAnswerJson | undefined>();
  const [buckets, setBuckets] = useState<BucketJson[] | undefined>();
  const [total, setTotal] = useState<number | undefined>();
  const [loading, setLoading] = useState(false);
  const [mark, setMark] = useState<SyntaxMark | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [selected, setSelected] = useState<QueryEventJson | undefined>();
  const [resetKey, setResetKey] = useState(0);
  const [needKey, setNeedKey] = useState(false);
  const [tz, setTz] = useState<Zone>(zone);
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem("logharbor.theme") as Theme | null) ?? "auto");
  const [tail, setTail] = useState<Tail | undefined>();
  const [logsKey, setLogsKey] = useState(0);
  const [alertDraft, setAlertDraft] = useState<AlertDraft | undefined>();
  const ctrl = useRef<AbortController | undefined>(undefined);
  const range = useRef<{ from?: number | undefined; to?: number | undefined }>({});
  const seq = useRef(0);
  const loadingMore = useRef(false);
  const stopTail = useRef<(() => void) | undefined>(undefined);
  const held = useRef<QueryEventJson[]>([]);
  const pausedRef = useRef(false);

  useEffect(() => api.onKeyNeeded(() => setNeedKey(true)), []);
  // Queries an older page saved in this browser move to the server once.
  useEffect(() => void migrateLocalSaved(), []);
  useEffect(() => {
    applyTheme(theme);
    localStorage.setItem("logharbor.theme", theme);
  }, [theme]);

  const run = useCallback(async (s: ViewState) => {
    ctrl.current?.abort();
    const c = new AbortController();
    ctrl.current = c;
    const my = ++seq.current;
    const timing: RunTiming = { seq: my, started: performance.now() };
    window.__logharbor = { run: timing };
    const now = Date.now();
    const from = resolveTime(s.from, now);
    const to = resolveTime(s.to, now);
    range.current = { from, to };
    setLoading(true);
    setMark(undefined);
    setNotice(undefined);
    setSelected(undefined);
    setResetKey((k) => k + 1);
    const base = { from, to, log: s.log || undefined };
    const eventsP = api.query({ ...base, q: s.q, limit: PAGE }, c.signal);
    const histP = looksLikeStatistics(s.q) ? undefined : api.query({ ...base, q: `${s.q} timeslice(${HISTOGRAM_BUCKETS})` }, c.signal);
    timing.requested = performance.now();
    if (histP) setBuckets(undefined);
    histP?.then(
      (h) => {
        if (my !== seq.current || h.type !== "statistics") return;
        setBuckets(h.statistics.timeslice?.buckets ?? []);
        setTotal(h.statistics.count);
        timing.histogram = performance.now();
      },
      () => undefined,
    );
    try {
      const a = await eventsP;
      if (my !== seq.current) return;
      if (a.type === "events") {
        setStats(undefined);
        setEvents(a.events);
        setNextPage(a.next_page);
        if (a.partial) setNotice(`Partial answer: ${a.reason ?? "the time budget ran out"}`);
      } else {
        setStats(a);
        setEvents([]);
        setNextPage(undefined);
        setBuckets(undefined);
        if (a.partial) setNotice(`Partial answer: ${a.reason ?? "the time budget ran out"}`);
      }
      timing.results = performance.now();
    } catch (e) {
      if (my !== seq.current || c.signal.aborted) return;
      const err = e as api.ApiError;
      setEvents([]);
      setStats(undefined);
      setBuckets([]);
      setTotal(undefined);
      if (err.code === "LH_ERR_QUERY_SYNTAX" || err.code === "LH_ERR_QUERY_FIELD") setMark({ message: err.message, column: err.position });
      else setMark({ message: err.message });
    } finally {
      if (my === seq.current) {
        setLoading(false);
        timing.done = true;
      }
    }
  }, []);

  const navigate = (s: ViewState, push = true) => {
    setState(s);
    setDraft(s.q);
    // The search's requests first (pushState can take milliseconds), then the URL.
    if (s.view === "search") void run(s);
    const url = stateUrl(s);
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  };

  useEffect(() => {
    if (state.view === "search") void run(state);
    const onPop = () => {
      const s = readState();
      setState(s);
      setDraft(s.q);
      if (s.view === "search") void run(s);
    };
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  const loadMore = async () => {
    if (!nextPage || loadingMore.current || tail) return;
    loadingMore.current = true;
    const my = seq.current;
    try {
      const a = await api.query({ q: state.q, ...range.current, log: state.log || undefined, limit: PAGE, after: nextPage });
      if (my !== seq.current || a.type !== "events") return;
      setEvents((ev) => [...ev, ...a.events]);
      setNextPage(a.next_page);
    } catch (e) {
      setNotice((e as Error).message);
    } finally {
      loadingMore.current = false;
    }
  };

  const stopLive = () => {
    stopTail.current?.();
    stopTail.current = undefined;
    setTail(undefined);
  };

  const startLive = (q = state.q) => {
    stopLive();
    held.current = [];
    pausedRef.current = false;
    setStats(undefined);
    setEvents([]);
    setNextPage(undefined);
    setMark(undefined);
    setTail({ rate: 0, sampling: 1, paused: false, held: 0, connected: false });
    stopTail.current = startTail({
      query: q,
      log: state.log || undefined,
      onOpen: () => setTail((t) => t && { ...t, connected: true, lost: undefined }),
      onLost: (reason, retryMs) => setTail((t) => t && { ...t, connected: false, rate: 0, lost: `${reason}; reconnecting in ${Math.round(retryMs / 100) / 10} s…` }),
      onResumed: (n, skipped) =>
        setTail((t) => t && { ...t, resumed: `reconnected: ${n.toLocaleString()} ${n === 1 ? "entry" : "entries"} stored while disconnected${skipped > 0 ? ` (${skipped.toLocaleString()} older not shown)` : ""}` }),
      onBatch: (b) => {
        if (pausedRef.current) {
          held.current = [...b.events.reverse(), ...held.current].slice(0, TAIL_MAX_ROWS);
        } else if (b.events.length > 0) {
          const fresh = b.events.reverse();
          setEvents((ev) => [...fresh, ...ev].slice(0, TAIL_MAX_ROWS));
        }
        setTail((t) => t && { ...t, rate: b.rate, sampling: b.sampling, held: held.current.length });
      },
      onError: (e) => {
        const err = e as api.ApiError;
        if (err.position !== undefined) setMark({ message: err.message, column: err.position });
        stopTail.current?.();
        stopTail.current = undefined;
        setTail((t) => t && { ...t, error: e.message, connected: false, stopped: true, rate: 0 });
      },
    });
  };

  const togglePause = () => {
    pausedRef.current = !pausedRef.current;
    if (!pausedRef.current && held.current.length > 0) {
      const h = held.current;
      held.current = [];
      setEvents((ev) => [...h, ...ev].slice(0, TAIL_MAX_ROWS));
    }
    setTail((t) => t && { ...t, paused: pausedRef.current, held: held.current.length });
  };

  useEffect(() => () => stopTail.current?.(), []);

  const submit = (q: string) => {
    rememberQuery(q);
    if (tail) {
      setState((s) => ({ ...s, q }));
      setDraft(q);
      history.pushState(null, "", stateUrl({ ...state, q }));
      startLive(q);
      return;
    }
    navigate({ ...state, view: "search", q });
  };

  const zoom = (fromMs: number, toMs: number) => {
    if (tail) stopLive();
    navigate({ ...state, q: draft, from: String(fromMs), to: String(toMs) });
  };

  const closeDetails = useCallback(() => setSelected(undefined), []);

  return (
    <div class="app">
      <header class="topbar">
        <a class="brand" href="./" onClick={(e) => { e.preventDefault(); stopLive(); navigate({ ...state, view: "search" }); }}>
          <svg class="logo" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="M8 1.5a2 2 0 0 1 .75 3.86V6.5H11v1.5H8.75v5.4c1.9-.3 3.5-1.6 3.95-3.4H11l2.25-2.75L15.5 10h-1.27c-.55 2.9-3.1 5-6.23 5s-5.68-2.1-6.23-5H.5l2.25-2.75L5 10H3.3c.45 1.8 2.05 3.1 3.95 3.4V8H5V6.5h2.25V5.36A2 2 0 0 1 8 1.5Zm0 1.3a.7.7 0 1 0 0 1.4.7.7 0 0 0 0-1.4Z" fill="currentColor"/></svg> logharbor
        </a>
        <nav>
          <button type="button" class={`tab${state.view === "search" ? " on" : ""}`} onClick={() => navigate({ ...state, view: "search" })}>Search</button>
          <button type="button" class={`tab${state.view === "logs" ? " on" : ""}`} onClick={() => { stopLive(); navigate({ ...state, view: "logs" }); }}>Logs</button>
          <button type="button" class={`tab${state.view === "alerts" ? " on" : ""}`} onClick={() => { stopLive(); setAlertDraft(undefined); navigate({ ...state, view: "alerts" }); }}>Alerts</button>
          <button type="button" class={`tab${state.view === "hosts" ? " on" : ""}`} onClick={() => { stopLive(); navigate({ ...state, view: "hosts" }); }}>Hosts</button>
        </nav>
        <span class="spacer" />
        <button
          type="button"
          class="btn"
          aria-label="time zone"
          data-zone={tz}
          title={tz === "utc" ? "times in UTC, as the CLI prints them; click for local time" : "times in this browser's local time; click for UTC"}
          onClick={() => {
            const next: Zone = tz === "utc" ? "local" : "utc";
            setZone(next);
            setTz(next);
            // Redraw the charts' axes in the new zone.
            window.dispatchEvent(new Event("logharbor-theme"));
          }}
        >
          {tz === "utc" ? "UTC" : "Local time"}
        </button>
        <button type="button" class="btn" title="API key" onClick={() => setNeedKey(true)}>{api.apiKey() ? "API key ✓" : "API key"}</button>
        <button
          type="button"
          class="btn"
          aria-label="theme"
          title={`theme: ${theme}`}
          onClick={() => {
            const next: Theme = theme === "auto" ? "dark" : theme === "dark" ? "light" : "auto";
            applyTheme(next);
            setTheme(next);
          }}
        >
          {theme === "dark" ? "Dark" : theme === "light" ? "Light" : "Auto theme"}
        </button>
      </header>

      {state.view === "logs" ? (
        <main class="page">
          <LogsPage key={logsKey} onSearchLog={(name) => navigate({ ...state, view: "search", q: "", log: name, from: "all", to: "now" })} />
        </main>
      ) : state.view === "alerts" ? (
        <main class="page">
          <AlertsPage key={logsKey} draft={alertDraft} onSearch={(q, log) => navigate({ ...state, view: "search", q, log })} />
        </main>
      ) : state.view === "hosts" ? (
        <main class="page">
          <HostsPage key={logsKey} onSearchHost={(host) => navigate({ ...state, view: "search", q: addCondition("", "host", host), log: "", from: "-24h", to: "now" })} />
        </main>
      ) : (
        <main class="search-page">
          <div class="toolbar">
            <SearchBox value={draft} onInput={setDraft} onSubmit={submit} error={mark} range={{ ...range.current, log: state.log || undefined }} />
            <LogPicker value={state.log} onChange={(log) => { if (tail) stopLive(); navigate({ ...state, q: draft, log }); }} />
            <TimeRange from={state.from} to={state.to} onChange={(from, to) => navigate({ ...state, q: draft, from, to })} />
            <button type="button" class="btn primary" onClick={() => submit(draft)}>Search</button>
            <button type="button" class={`btn live${tail ? " on" : ""}`} aria-pressed={!!tail} onClick={() => (tail ? stopLive() : startLive(draft))}>
              {tail ? "■ Stop live" : "▶ Live tail"}
            </button>
            <button type="button" class="btn alert-on-query" title="Create an alert on this query" onClick={() => { stopLive(); setAlertDraft({ query: draft, log: state.log }); navigate({ ...state, q: draft, view: "alerts" }); }}>Alert on this query</button>
            <SavedQueries current={{ q: draft, from: state.from, to: state.to, log: state.log }} onOpen={(s) => { stopLive(); navigate({ view: "search", ...s }); }} />
          </div>
          {state.log && (
            <div class="filters">
              log: <strong>{state.log}</strong>{" "}
              <button type="button" class="btn small" onClick={() => navigate({ ...state, q: draft, log: "" })}>all logs</button>
            </div>
          )}
          {tail ? (
            <div class="tail-bar" data-connected={tail.connected ? "true" : "false"} data-state={tail.stopped ? "stopped" : tail.connected ? "live" : tail.lost ? "reconnecting" : "connecting"}>
              <span class={`dot${tail.connected && !tail.paused ? " on" : ""}`} />
              {tail.error ? <span class="error">{tail.error}</span> : tail.connected ? "Live" : tail.lost ? <span class="tail-lost">{tail.lost}</span> : "Connecting…"}
              {!tail.stopped && <span class="tail-rate" aria-label="rate">{tail.connected ? `${Math.round(tail.rate).toLocaleString()} events/s` : "— events/s"}</span>}
              {tail.sampling > 1 && tail.connected && <span class="tail-sampling">sampling: showing 1 in {tail.sampling} (over 5,000/s)</span>}
              {tail.resumed && <span class="tail-resumed">{tail.resumed}</span>}
              {!tail.stopped && <button type="button" class="btn small" onClick={togglePause}>{tail.paused ? "Resume" : "Pause"}</button>}
              {tail.paused && <span>{tail.held.toLocaleString()} new while paused</span>}
              <span class="muted">{events.length.toLocaleString()} shown (newest first, at most {TAIL_MAX_ROWS.toLocaleString()})</span>
            </div>
          ) : stats ? null : (
            <Histogram buckets={buckets} total={total} loading={loading} onZoom={zoom} />
          )}
          {notice && <div class="notice">{notice}</div>}
          {!tail && !stats && (
            <div class="summary" data-loading={loading ? "true" : "false"}>
              <span>{loading ? "Searching…" : mark ? "" : `${total !== undefined ? total.toLocaleString() : events.length.toLocaleString()} matching entries${events.length ? `, ${events.length.toLocaleString()}${nextPage ? "+" : ""} listed` : ""}`}</span>
              {events.length > 0 && !loading && (
                <span class="export">
                  Export the {events.length.toLocaleString()} listed:{" "}
                  <button type="button" class="btn small" onClick={() => download("logharbor.ndjson", "application/x-ndjson", toNdjson(events))}>NDJSON</button>{" "}
                  <button type="button" class="btn small" onClick={() => download("logharbor.csv", "text/csv", toCsv(events))}>CSV</button>
                </span>
              )}
            </div>
          )}
          <div class="content">
            {!stats && !tail && !selected && <FieldSidebar events={events} onFilter={(f, v, op) => submit(addCondition(draft, f, v, op))} />}
            {stats ? (
              <Stats answer={stats} onZoom={zoom} />
            ) : (
              <ResultList events={events} selected={selected?.id} onSelect={setSelected} onEnd={nextPage ? () => void loadMore() : undefined} resetKey={resetKey} terms={highlightTerms(state.q)} />
            )}
            {selected && (
              <Details
                event={selected}
                onClose={closeDetails}
                onAddCondition={(f, v) => {
                  const q = addCondition(draft, f, v);
                  submit(q);
                }}
              />
            )}
          </div>
        </main>
      )}
      {needKey && (
        <ApiKeyDialog
          onDone={() => {
            setNeedKey(false);
            void migrateLocalSaved();
            if (state.view === "search") void run(state);
            else setLogsKey((k) => k + 1);
          }}
        />
      )}
    </div>
  );
}

render(<App />, document.getElementById("app")!);
