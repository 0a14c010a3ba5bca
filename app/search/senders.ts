// A few senders' messages in one group, in id order, read a day at a time through the (gid, day, sender) index
// (schema v8): the index is keyed by day first so that a backup's inserts stay together, which leaves no index
// ordered by sender across days. A walk finds the group's next day with messages (one seek), takes that day's
// ids of the senders (one seek per sender, a few ids to sort), and goes on only as far as the reader reads.
// Days outside the senders' first and last message (the senders table) are never visited.

import { ID_DAY, idSecond, SLOTS_PER_SECOND } from '../archive/ids';
import { arrayStatement, type Db, eachRow, firstRow, type SqlParam, type Statement } from '../archive/sqlite';
import type { SqlFragment } from './filter';
import type { PeekableStream } from './rows';

export class SenderDays implements PeekableStream {
  private readonly nextDay: Statement;
  private readonly dayIds: Statement;
  private readonly params: SqlParam[];
  /** The day last read. */
  private day: number | undefined;
  private buffer: number[] = [];
  private at = 0;
  private readonly firstDay: number;
  private readonly lastDay: number;

  /**
   * `range` as search's [lo, hi) of ids; `where` a filter over `messages m`. Senders that never sent in the group
   * are dropped; with none left the walk is empty.
   */
  constructor(
    db: Db,
    private readonly gid: number,
    senders: readonly string[],
    range: { lo: number; hi: number },
    where: SqlFragment,
    private readonly descending: boolean,
  ) {
    const [first, last, list] = firstRow(
      arrayStatement(db, "SELECT min(first_time), max(last_time), json_group_array(account) FROM senders WHERE gid = ? AND account IN (SELECT value FROM json_each(?))"),
      gid,
      JSON.stringify(senders),
    ) ?? [null, null, '[]'];
    // The senders' first and last message bound the walk (times as ids: ./ids.ts clamps a time the same way).
    const lo = first === null ? 0 : Math.max(range.lo, idSecond(Number(first)) * SLOTS_PER_SECOND);
    const hi = last === null ? 0 : Math.min(range.hi, (idSecond(Number(last)) + 1) * SLOTS_PER_SECOND);
    this.firstDay = Math.floor(lo / ID_DAY);
    this.lastDay = hi > lo ? Math.floor((hi - 1) / ID_DAY) : this.firstDay - 1;
    this.params = [String(list), lo, hi, ...where.params];
    const cmp = descending ? '<' : '>';
    const dir = descending ? 'DESC' : 'ASC';
    this.nextDay = arrayStatement(db, `SELECT id / ${ID_DAY} FROM messages WHERE gid = ? AND id / ${ID_DAY} ${cmp} ? ORDER BY id / ${ID_DAY} ${dir} LIMIT 1`);
    // The day's entries of the index by day, whatever else the filter names: with a time range, SQLite took the
    // (gid, time) index instead and read the group's whole range for every day (10M messages: 0.5 s a page).
    this.dayIds = arrayStatement(
      db,
      `SELECT m.id FROM messages m INDEXED BY messages_gid_day_sender WHERE m.gid = ? AND m.id / ${ID_DAY} = ? AND m.sender IN (SELECT value FROM json_each(?))
       AND m.id >= ? AND m.id < ? AND (${where.sql}) ORDER BY m.id ${dir}`,
    );
  }

  peek(): unknown[] | undefined {
    while (this.at >= this.buffer.length) {
      if (!this.advanceDay()) return undefined;
    }
    return [this.buffer[this.at]];
  }

  take(): unknown[] | undefined {
    const row = this.peek();
    if (row) this.at++;
    return row;
  }

  close(): void {
    this.buffer = [];
    this.day = this.descending ? -Infinity : Infinity;
  }

  /** Loads the next day of the group with messages of the senders; false when the walk is over. */
  private advanceDay(): boolean {
    for (;;) {
      const from = this.day ?? (this.descending ? this.lastDay + 1 : this.firstDay - 1);
      const found = firstRow(this.nextDay, this.gid, from)?.[0];
      const day = found === undefined || found === null ? undefined : Number(found);
      if (day === undefined || day < this.firstDay || day > this.lastDay) {
        this.close();
        return false;
      }
      this.day = day;
      this.buffer = [];
      this.at = 0;
      for (const [id] of eachRow(this.dayIds, this.gid, day, ...this.params)) this.buffer.push(Number(id));
      if (this.buffer.length > 0) return true;
    }
  }
}
