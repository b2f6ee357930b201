// The records the e2e tests of other agents' protocols ship: numbered, with attributes, multi-line
// bodies, UTF-8 beyond the BMP, and a few large ones, so every protocol is proven on the same mix.

export interface TestRecord {
  i: number;
  body: string;
  /** A severity word (info, warn, error). */
  level: "info" | "warn" | "error";
  attributes: { "http.status_code": number; "user.name": string; seq: number };
}

export const LARGE_BODY_BYTES = 300_000;

export function bodyOf(i: number): string {
  if (i % 10 === 3) return `panic in worker ${i}\n  at handler (server.js:10)\n  at main (index.js:2)`;
  if (i % 10 === 7) return `grüße aus Köln, 日本語のログ ${i} 🚀`;
  if (i % 250 === 11) return `large ${i} ` + "x".repeat(LARGE_BODY_BYTES);
  return `request ${i} served`;
}

export function testRecords(n: number, offset = 0): TestRecord[] {
  return Array.from({ length: n }, (_, k) => {
    const i = offset + k;
    const level = i % 5 === 0 ? "error" : i % 5 === 1 ? "warn" : "info";
    return { i, body: bodyOf(i), level, attributes: { "http.status_code": 200 + (i % 4) * 100, "user.name": `usér-${i % 7}`, seq: i } };
  });
}

/** The syslog priority each level is stored with. */
export const PRIORITY_OF_LEVEL = { info: 6, warn: 4, error: 3 } as const;
