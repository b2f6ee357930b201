// Requests to the store's writer thread (replies: core/threads/request-thread.ts).
import type { PackedBatch } from "./prepared-batch.js";

export type WriterRequest =
  | { kind: "write"; id: number; batch: PackedBatch }
  | { kind: "prune"; id: number; log: number; beforeUs: number; max: number };
