// Message rows as search reads them, and lazy streams of them in id order. A stream steps its statement only
// as far as the caller reads, so "the first 50 hits" never materializes the rest; search runs synchronously
// from start to finish, so no archive write can interleave with an open statement.

import type { Database, SqlValue, Statement } from 'sql.js';

export interface MessageRow {
  id: number;
  gid: number;
  seq: number;
  sender: string;
  time: number;
  kinds: number;
  state: number;
  isSystem: boolean;
  text: string;
  raw: string;
}

/** Columns of `messages m` in MessageRow order; a stream's SELECT starts with them. */
export const ROW_COLUMNS = 'm.id, m.gid, m.seq, m.sender, m.time, m.kinds, m.state, m.is_system, m.text, m.raw';

export function toRow(v: SqlValue[]): MessageRow {
  return {
    id: Number(v[0]),
    gid: Number(v[1]),
    seq: Number(v[2]),
    sender: String(v[3]),
    time: Number(v[4]),
    kinds: Number(v[5]),
    state: Number(v[6]),
    isSystem: Number(v[7]) !== 0,
    text: String(v[8]),
    raw: String(v[9]),
  };
}

/** Rows in id order, read on demand. */
export interface Stream {
  /** The next row's values; undefined at the end. */
  take(): SqlValue[] | undefined;
  close(): void;
}

export interface PeekableStream extends Stream {
  /** The next row's values without consuming it. */
  peek(): SqlValue[] | undefined;
}

export class RowStream implements PeekableStream {
  private readonly stmt: Statement;
  private head: SqlValue[] | undefined;
  private done = false;

  constructor(db: Database, sql: string, params: SqlValue[]) {
    this.stmt = db.prepare(sql);
    try {
      this.stmt.bind(params);
    } catch (err) {
      this.stmt.free();
      throw err;
    }
  }

  peek(): SqlValue[] | undefined {
    if (!this.head && !this.done) {
      if (this.stmt.step()) this.head = this.stmt.get();
      else this.done = true;
    }
    return this.head;
  }

  take(): SqlValue[] | undefined {
    const row = this.peek();
    this.head = undefined;
    return row;
  }

  close(): void {
    this.stmt.free();
  }
}

/**
 * Full rows for a stream of ids. A query that must sort (SQLite sorts when it cannot walk an index in id
 * order) then sorts ids, not whole messages: a sender with 100,000 messages costs 100,000 numbers.
 */
export class RowsById implements PeekableStream {
  private readonly fetch: Statement;
  private head: SqlValue[] | undefined;

  constructor(
    db: Database,
    private readonly ids: RowStream,
  ) {
    this.fetch = db.prepare(`SELECT ${ROW_COLUMNS} FROM messages m WHERE m.id = ?`);
  }

  peek(): SqlValue[] | undefined {
    if (!this.head) {
      const id = this.ids.take()?.[0];
      if (id === undefined) return undefined;
      try {
        this.fetch.bind([id]);
        this.head = this.fetch.step() ? this.fetch.get() : undefined;
      } finally {
        this.fetch.reset();
      }
    }
    return this.head;
  }

  take(): SqlValue[] | undefined {
    const row = this.peek();
    this.head = undefined;
    return row;
  }

  close(): void {
    this.fetch.free();
    this.ids.close();
  }
}

/** Rows of several id-ordered streams in one id order, each id once. */
export class MergedStream implements Stream {
  private lastId: number | undefined;

  constructor(
    private readonly streams: PeekableStream[],
    private readonly descending: boolean,
  ) {}

  take(): SqlValue[] | undefined {
    for (;;) {
      let best: PeekableStream | undefined;
      let bestId = 0;
      for (const s of this.streams) {
        const row = s.peek();
        if (!row) continue;
        const id = Number(row[0]);
        if (!best || (this.descending ? id > bestId : id < bestId)) {
          best = s;
          bestId = id;
        }
      }
      if (!best) return undefined;
      const row = best.take()!;
      if (bestId === this.lastId) continue;
      this.lastId = bestId;
      return row;
    }
  }

  close(): void {
    for (const s of this.streams) s.close();
  }
}
