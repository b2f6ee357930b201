// How a sink says a batch will never be accepted. Retriable failures (network errors, timeouts,
// 408/429/5xx) never surface: the sink retries them with backoff. A refusal is permanent:
//   scope "batch"        this batch is refused (400, 413, 422, ...): it goes to the dead-letter file
//                        and the pipeline continues with the next one;
//   scope "destination"  every batch would be refused (401, 403, 404: token or URL wrong): the agent
//                        stops with the error, the batch stays in the disk buffer.
import { LogharborError } from "../../core/errors.js";

export type RefusalScope = "batch" | "destination";

export class SinkRefusal extends LogharborError {
  readonly scope: RefusalScope;
  readonly httpStatus: number | undefined;

  constructor(scope: RefusalScope, message: string, httpStatus?: number) {
    super("LH_ERR_SINK", message);
    this.name = "SinkRefusal";
    this.scope = scope;
    this.httpStatus = httpStatus;
  }
}

/** HTTP statuses that condemn every batch, not only this one. */
export function refusalScopeOfStatus(status: number): RefusalScope {
  return status === 401 || status === 403 || status === 404 || status === 405 || status === 407 ? "destination" : "batch";
}
