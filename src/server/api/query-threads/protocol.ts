// Messages between the API and its query threads.
import type { EventPage, EventSearch } from "../../storage/store.js";
import type { RanQuery, RunQueryInput } from "../query.js";

export type QueryRequest =
  | { kind: "run"; id: number; input: RunQueryInput; maxBudgetMs: number; logIds: string[] | undefined }
  | { kind: "search"; id: number; search: EventSearch }
  | { kind: "close" };

/** An error as it crosses: a LogharborError keeps its code, status and position. */
export interface ErrorJson {
  message: string;
  code?: string;
  status?: number;
  position?: number;
}

export type QueryReply =
  | { id: number; ok: true; result: RanQuery | EventPage }
  | { id: number; ok: false; error: ErrorJson };
