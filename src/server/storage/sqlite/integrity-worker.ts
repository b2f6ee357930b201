// The integrity check's thread (integrity.ts) for a big database: runs quickCheck, posts what it
// found. On its own thread so the check can be cut off at its time limit.
import { parentPort, workerData } from "node:worker_threads";
import { quickCheck } from "./quick-check.js";

parentPort!.postMessage(quickCheck((workerData as { file: string }).file));
