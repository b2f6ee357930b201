// Query jobs of the Logentries-compatible API: a query starts, answers 202 with a link to poll, and
// runs right after; polling the link answers 202 until the result is ready, then 200 with it. A job
// is forgotten some minutes after it finished, and live-tail sessions when nobody polls them.
import { randomUUID } from "node:crypto";

export const JOB_TTL_MS = 5 * 60_000;
const MAX_JOBS = 1000;

type JobState = { status: "running" } | { status: "done"; body: unknown } | { status: "failed"; error: unknown };

export class Jobs {
  private readonly jobs = new Map<string, { state: JobState; expires: number }>();

  /** Starts `work` on the next turn of the event loop; returns the job id at once. */
  start(work: () => Promise<unknown>): string {
    this.sweep();
    const id = randomUUID();
    const job = { state: { status: "running" } as JobState, expires: Date.now() + JOB_TTL_MS };
    this.jobs.set(id, job);
    setImmediate(() => {
      work().then(
        (body) => (job.state = { status: "done", body }),
        (error: unknown) => (job.state = { status: "failed", error }),
      ).finally(() => (job.expires = Date.now() + JOB_TTL_MS));
    });
    return id;
  }

  get(id: string): JobState | undefined {
    return this.jobs.get(id)?.state;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, j] of this.jobs) if (j.expires < now && j.state.status !== "running") this.jobs.delete(id);
    while (this.jobs.size >= MAX_JOBS) {
      const oldest = this.jobs.keys().next().value as string;
      this.jobs.delete(oldest);
    }
  }
}
