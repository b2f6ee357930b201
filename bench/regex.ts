// The cost of the linear-time regex engine (RE2 semantics) that every user regex runs on, against
// V8's backtracking RegExp as the reference measured in the same run: 20,000 realistic log lines
// (nginx access lines, key=value lines, error lines) × four typical query regexes, best of 5.
// The engine we ship is re2js (src/core/regex/re2.ts). The two alternatives the choice was made
// against are measured too when installed beside it (not dependencies of logharbor):
//   npm install --no-save re2-wasm re2      (re2 compiles C++ from source: minutes)
// Then the catastrophic /(a+)+$/ on 22 "a"s and a "b": V8 takes seconds; each RE2 engine, microseconds.
// Not a test; not timed in CI.
//   node dist/bench/regex.js
import { performance } from "node:perf_hooks";
import { compileRe2 } from "../src/core/regex/re2.js";

type Engine = { name: string; compile: (source: string, flags: string) => { test(s: string): boolean } };

async function optional(name: string, load: () => Promise<Engine["compile"]>): Promise<Engine | undefined> {
  try {
    return { name, compile: await load() };
  } catch {
    process.stdout.write(`(${name} not installed: skipped)\n`);
    return undefined;
  }
}

function lines(n: number): string[] {
  let seed = 1;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const paths = ["/api/users", "/api/orders/17", "/healthz", "/static/app.js"];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = rnd();
    if (k < 0.5) out.push(`10.0.${i % 255}.${i % 7} - - [04/Dec/2026:10:${i % 60}:00 +0000] "GET ${paths[i % 4]} HTTP/1.1" ${rnd() < 0.05 ? 503 : 200} ${Math.floor(rnd() * 9000)} "-" "curl/8.5.0"`);
    else if (k < 0.8) out.push(`level=info msg="request done" host=web-${i % 3} path=${paths[i % 4]} took ${Math.floor(rnd() * 900)}ms user=u${i % 97}`);
    else out.push(`ERROR connection refused to db-1:5432 after ${i % 9} retries (pool exhausted, waited ${i % 300}ms)`);
  }
  return out;
}

const CASES: Array<[string, string]> = [
  ["took (?<ms>\\d+)ms", ""],
  ["error|timeout|refused", "i"],
  ['"GET /api/\\S+ HTTP/1\\.1" 5\\d\\d', ""],
  ["^\\d+\\.\\d+\\.\\d+\\.\\d+ .*curl", ""],
];

async function main(): Promise<void> {
  const engines: Engine[] = [
    { name: "V8 RegExp (reference)", compile: (s, f) => new RegExp(s, f) },
    { name: "re2js (shipped)", compile: (s, f) => compileRe2(s, f) },
  ];
  const wasm = await optional("re2-wasm", async () => {
    const m = (await import("re2-wasm" as string)) as { RE2: new (s: string, f: string) => { test(s: string): boolean } };
    return (s, f) => new m.RE2(s, `${f}u`);
  });
  const native = await optional("re2 (native)", async () => {
    const m = (await import("re2" as string)) as { default: new (s: string, f: string) => { test(s: string): boolean } };
    return (s, f) => new m.default(s, f);
  });
  for (const e of [wasm, native]) if (e) engines.push(e);
  const msgs = lines(20_000);
  process.stdout.write(`20,000 lines; best of 5; ratio = time / V8's time (machine shared: compare ratios, not times)\n`);
  for (const [source, flags] of CASES) {
    const times: number[] = [];
    for (const e of engines) {
      const re = e.compile(source, flags);
      let best = Infinity;
      for (let r = 0; r < 5; r++) {
        const t = performance.now();
        let hits = 0;
        for (const m of msgs) if (re.test(m)) hits++;
        best = Math.min(best, performance.now() - t);
        if (hits === 0) throw new Error(`${e.name}: no hits for /${source}/`);
      }
      times.push(best);
    }
    process.stdout.write(`/${source}/${flags}: ${engines.map((e, i) => `${e.name} ${(times[i]! / times[0]!).toFixed(1)}x`).join(", ")}\n`);
  }
  const evil = `${"a".repeat(22)}b`;
  for (const e of engines) {
    const re = e.compile("(a+)+$", "");
    const t = performance.now();
    re.test(evil);
    process.stdout.write(`/(a+)+$/ on 22 "a"s and a "b": ${e.name} ${(performance.now() - t).toFixed(2)} ms\n`);
  }
}

await main();
