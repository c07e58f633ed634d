// Results of read queries kept while the database is unchanged. The Library asks for the
// same counts several times per reload (a grid page each, the class list), and a count
// under the test lockbox reads every image row: at 100,000 images that is tens of
// milliseconds of the main thread, which also commits an import.
//
// "Unchanged" is exact, not a timeout. The database's change state is three numbers:
// - total_changes(): rows written by THIS connection (INSERT, UPDATE, DELETE, including
//   trigger programs and foreign-key actions; a DELETE without WHERE counts its rows).
//   Any statement that changed a row adds at least one. Writes it does not count (the
//   rows REPLACE removes, a view's INSTEAD OF) happen only inside a statement it does.
// - PRAGMA data_version: changes committed by OTHER connections (import and training
//   workers, another process).
// - PRAGMA schema_version: DDL (CREATE/DROP/ALTER), which total_changes ignores.
// A rolled-back write leaves total_changes advanced, so a memo taken before it is
// dropped; nothing is memoised inside a transaction, where the data seen may yet be
// rolled back while total_changes stays where it is.
import type Database from 'better-sqlite3';

/** Past this many entries for one change state, the memo starts over (filters are few; this only bounds memory). */
const MAX_ENTRIES = 512;

export class QueryMemo {
  private state = '';
  private readonly values = new Map<string, unknown>();
  private readonly stateStmt: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.stateStmt = db
      .prepare(
        `SELECT total_changes() || ':' || (SELECT data_version FROM pragma_data_version)
                               || ':' || (SELECT schema_version FROM pragma_schema_version)`,
      )
      .pluck();
  }

  /**
   * The value `compute` returned for `key` while the database has not changed since;
   * otherwise computes it now. `key` must name the query and every parameter it used.
   * Callers must not mutate what they get back: the same object serves the next call.
   */
  get<T>(key: string, compute: () => T): T {
    if (this.db.inTransaction) return compute();
    this.refresh();
    if (this.values.has(key)) return this.values.get(key) as T;
    const value = compute();
    if (this.values.size >= MAX_ENTRIES) this.values.clear();
    this.values.set(key, value);
    return value;
  }

  /** Forgets every value (the memo also does so by itself on any change). */
  clear(): void {
    this.values.clear();
    this.state = '';
  }

  private refresh(): void {
    const now = this.stateStmt.get() as string;
    if (now !== this.state) {
      this.values.clear();
      this.state = now;
    }
  }
}

const memos = new WeakMap<Database.Database, QueryMemo>();

/** The one memo of a connection, shared by its repositories (one change state, one map). */
export function queryMemoOf(db: Database.Database): QueryMemo {
  let memo = memos.get(db);
  if (!memo) {
    memo = new QueryMemo(db);
    memos.set(db, memo);
  }
  return memo;
}
