// Sample events of a notification: the first MAX_SAMPLES of a period, as DESIGN.md shows them.
import { formatIsoUs } from "../../core/time.js";
import type { StoredEvent } from "../storage/store.js";
import { MAX_SAMPLES } from "./evaluator.js";
import type { SampleEvent } from "./model.js";

/** The start of a message kept in a sample (a notification stays small). */
export const SAMPLE_MESSAGE_CHARS = 2000;

export function sampleOf(e: StoredEvent): SampleEvent {
  return { ts: formatIsoUs(e.tsUs), host: e.host, unit: e.unit, message: e.message.length > SAMPLE_MESSAGE_CHARS ? `${e.message.slice(0, SAMPLE_MESSAGE_CHARS)}…` : e.message };
}

/** Collects up to MAX_SAMPLES samples and the time span of everything it saw. */
export class Samples {
  events: SampleEvent[] = [];
  minUs = Infinity;
  maxUs = -Infinity;
  logs = new Set<string>();

  add(e: StoredEvent): void {
    if (this.events.length < MAX_SAMPLES) this.events.push(sampleOf(e));
    if (e.tsUs < this.minUs) this.minUs = e.tsUs;
    if (e.tsUs > this.maxUs) this.maxUs = e.tsUs;
    if (this.logs.size < 2) this.logs.add(e.logName);
  }

  /** The log's name when every sample came from one log, else "". */
  get log(): string {
    return this.logs.size === 1 ? [...this.logs][0]! : "";
  }
}
