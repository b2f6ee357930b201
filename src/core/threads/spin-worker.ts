// A thread body for request-thread.test.ts: doubles a number, or spins forever (a stuck request:
// what a statement that never returns looks like from outside).
import { serveRequests } from "./serve-requests.js";

serveRequests<{ id: number; kind: "double" | "spin"; n: number }>(
  (m) => {
    if (m.kind === "spin") for (;;);
    return m.n * 2;
  },
  () => {},
);
