// Issue 4's storage reference, one definition for every bench that measures it: the messages into a
// plain table with an external-content FTS5 index (the store's tokenizer), nothing else.
import type Database from "better-sqlite3";

/** Creates the bare schema in db; returns a transaction that inserts a batch (text() gives each item's message). */
export function bareFtsTransaction<T>(db: Database.Database, text: (item: T) => string): (batch: readonly T[]) => void {
  db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, message TEXT NOT NULL);
    CREATE VIRTUAL TABLE f USING fts5(message, content='t', content_rowid='id', tokenize='unicode61 remove_diacritics 2', columnsize=0);`);
  const ins = db.prepare("INSERT INTO t (message) VALUES (?)");
  const fts = db.prepare("INSERT INTO f (rowid, message) VALUES (?, ?)");
  return db.transaction((batch: readonly T[]) => {
    for (const item of batch) {
      const m = text(item);
      fts.run(ins.run(m).lastInsertRowid, m);
    }
  });
}
