// An insert listener that stays off the ingest path: the committed batches are queued as they come
// and handed over together at the next turn of the event loop (after the acknowledgements), the
// way the live tail and the alerts engine both take them. The function returned removes the
// listener and forgets what was queued.
import type { Store, StoredEvent } from "./store.js";

export function onInsertedLater(store: Pick<Store, "onInserted">, take: (batches: StoredEvent[][]) => void): () => void {
  let queue: StoredEvent[][] = [];
  let scheduled = false;
  let removed = false;
  const unhook = store.onInserted((events) => {
    queue.push(events);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const batches = queue;
      queue = [];
      if (!removed) take(batches);
    });
  });
  return () => {
    removed = true;
    queue = [];
    unhook();
  };
}
