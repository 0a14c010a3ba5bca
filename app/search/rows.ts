// Message rows as search reads them, and lazy streams of them in id order. A stream steps its statement only
// as far as the caller reads, so "the first 50 hits" never materializes the rest; search runs synchronously
// from start to finish, so no archive write can interleave with an open statement.

import { checksumMatches, rowChecksum } from '../archive/checksum';
import { arrayStatement, type Db, eachRow, firstRow, type SqlParam, type Statement } from '../archive/sqlite';

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
  /** The row no longer matches its checksum (app/archive/checksum.ts): none of its fields can be trusted. */
  damaged: boolean;
}

/** Columns of `messages m` in MessageRow order, then its checksum; a stream's SELECT starts with them. */
export const ROW_COLUMNS = 'm.id, m.gid, m.seq, m.sender, m.time, m.kinds, m.state, m.is_system, m.text, m.raw, m.checksum';
/** Where a stream's own columns after ROW_COLUMNS start. */
export const AFTER_ROW_COLUMNS = 11;

export function toRow(v: unknown[]): MessageRow {
  return {
    damaged: !checksumMatches(v[10], rowChecksum(v[1], v[2], v[6], v[3], v[4], v[5], v[7], v[8], v[9])),
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
  take(): unknown[] | undefined;
  close(): void;
}

export interface PeekableStream extends Stream {
  /** The next row's values without consuming it. */
  peek(): unknown[] | undefined;
}

export class RowStream implements PeekableStream {
  private readonly rows: IterableIterator<unknown[]>;
  private head: unknown[] | undefined;
  private done = false;

  constructor(db: Db, sql: string, params: SqlParam[]) {
    this.rows = eachRow(arrayStatement(db, sql), ...params);
  }

  peek(): unknown[] | undefined {
    if (!this.head && !this.done) {
      const next = this.rows.next();
      if (next.done) this.done = true;
      else this.head = next.value;
    }
    return this.head;
  }

  take(): unknown[] | undefined {
    const row = this.peek();
    this.head = undefined;
    return row;
  }

  /** Resets the statement: an unfinished one would hold its read snapshot, and so the write-ahead log, open. */
  close(): void {
    this.rows.return?.();
  }
}

/**
 * Full rows for a stream of ids. A query that must sort (SQLite sorts when it cannot walk an index in id
 * order) then sorts ids, not whole messages: a sender with 100,000 messages costs 100,000 numbers.
 */
export class RowsById implements PeekableStream {
  private readonly fetch: Statement;
  private head: unknown[] | undefined;

  constructor(
    db: Db,
    private readonly ids: Stream,
  ) {
    this.fetch = arrayStatement(db, `SELECT ${ROW_COLUMNS} FROM messages m WHERE m.id = ?`);
  }

  peek(): unknown[] | undefined {
    if (!this.head) {
      const id = this.ids.take()?.[0];
      if (id === undefined) return undefined;
      this.head = firstRow(this.fetch, id as number);
    }
    return this.head;
  }

  take(): unknown[] | undefined {
    const row = this.peek();
    this.head = undefined;
    return row;
  }

  close(): void {
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

  take(): unknown[] | undefined {
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
