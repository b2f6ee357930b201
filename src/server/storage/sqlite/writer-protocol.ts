// Messages between the store and its writer thread.
import type { NewEvent } from "../store.js";
import type { WriteResult } from "./event-writer.js";

export type WriterRequest =
  | { kind: "write"; id: number; seq: number; events: NewEvent[]; wantRows: boolean }
  | { kind: "close" };

export type WriterReply =
  | { id: number; ok: true; result: WriteResult }
  | { id: number; ok: false; code: string; message: string };
