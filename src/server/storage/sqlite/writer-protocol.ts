// Messages between the store and its writer thread.
import type { WriteResult } from "./event-writer.js";
import type { PackedBatch } from "./prepared-batch.js";

export type WriterRequest =
  | { kind: "write"; id: number; batch: PackedBatch }
  | { kind: "prune"; id: number; beforeUs: number; max: number }
  | { kind: "close" };

export type WriterReply =
  | { id: number; ok: true; result: WriteResult | number }
  | { id: number; ok: false; code: string; message: string };
