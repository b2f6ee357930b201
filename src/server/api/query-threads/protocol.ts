// Requests to the API's query threads (replies: core/threads/request-thread.ts).
import type { EventSearch } from "../../storage/store.js";
import type { RunQueryInput } from "../query.js";

export type QueryRequest =
  | { kind: "run"; id: number; input: RunQueryInput; maxBudgetMs: number; logIds: string[] | undefined }
  | { kind: "search"; id: number; search: EventSearch };
