// What every export format reads from the archive: the selected groups, their messages one row at a time in Seq
// order (never a whole group in memory), display names, and coverage as the archive itself counts it.

import type { Database, SqlValue, Statement } from 'sql.js';
import type { Archive, GroupRow } from '../archive';
import { filterWhere, type MessageFilter } from '../search/filter';
import { selectGroups } from './select';
import type { StoredMessage } from './view';

export interface ExportRow extends StoredMessage {
  kinds: number;
  /** messages.text: the archive's plain-text rendering of all elements. */
  text: string;
}

/** The groups a filter names (all when it names none); an ID the archive does not hold is a SelectionError. */
export function filteredGroups(archive: Archive, filter: MessageFilter): GroupRow[] {
  return selectGroups(archive, filter.groupIds ?? []);
}

/** The group's messages that pass the filter, ascending by Seq, read lazily from one prepared statement. */
export function* messageRows(archive: Archive, gid: number, filter: MessageFilter): Generator<ExportRow, void, undefined> {
  const stmt = prepareFiltered(archive.db, 'seq, state, sender, time, kinds, is_system, text, raw', gid, filter);
  try {
    while (stmt.step()) {
      const [seq, state, sender, time, kinds, isSystem, text, raw] = stmt.get();
      yield {
        seq: Number(seq),
        state: Number(state),
        sender: String(sender),
        time: Number(time),
        kinds: Number(kinds),
        isSystem: Number(isSystem) !== 0,
        text: String(text),
        raw: String(raw),
      };
    }
  } finally {
    stmt.free();
  }
}

export interface RowSize {
  seq: number;
  time: number;
  /** UTF-8 bytes of the archived JSON: what a rendered message's size grows with. */
  bytes: number;
}

/** Seq, time and size of the same rows as messageRows(): enough to plan pages before rendering any. */
export function* rowSizes(archive: Archive, gid: number, filter: MessageFilter): Generator<RowSize, void, undefined> {
  const stmt = prepareFiltered(archive.db, 'seq, time, octet_length(raw)', gid, filter);
  try {
    while (stmt.step()) {
      const [seq, time, bytes] = stmt.get();
      yield { seq: Number(seq), time: Number(time), bytes: Number(bytes) };
    }
  } finally {
    stmt.free();
  }
}

export interface RowStats {
  count: number;
  firstSeq?: number;
  lastSeq?: number;
  minTime?: number;
  maxTime?: number;
}

/** How many rows messageRows() will give, and their Seq and time ranges, in one aggregate query. */
export function rowStats(archive: Archive, gid: number, filter: MessageFilter): RowStats {
  const stmt = prepareFiltered(archive.db, 'count(*), min(seq), max(seq), min(time), max(time)', gid, filter, false);
  try {
    stmt.step();
    const [count, firstSeq, lastSeq, minTime, maxTime] = stmt.get();
    if (!count) return { count: 0 };
    return { count: Number(count), firstSeq: Number(firstSeq), lastSeq: Number(lastSeq), minTime: Number(minTime), maxTime: Number(maxTime) };
  } finally {
    stmt.free();
  }
}

function prepareFiltered(db: Database, columns: string, gid: number, filter: MessageFilter, ordered = true): Statement {
  // The caller iterates one group at a time: the group condition is the gid itself.
  const where = filterWhere({ ...filter, groupIds: [] }, 'm');
  const stmt = db.prepare(`SELECT ${columns} FROM messages m WHERE m.gid = ? AND ${where.sql}${ordered ? ' ORDER BY m.seq' : ''}`);
  stmt.bind([gid, ...where.params] as SqlValue[]);
  return stmt;
}

/**
 * Display names in one group, as the issue orders them: the group name card, else the profile nick (else the
 * caller shows the account ID). Looked up as senders appear and remembered, so memory grows with the senders,
 * not the messages.
 */
export class NameBook {
  private readonly cache = new Map<string, string | undefined>();
  private readonly card: Statement;
  private readonly nick: Statement;

  constructor(
    db: Database,
    private readonly group: GroupRow,
  ) {
    this.card = db.prepare('SELECT name_card FROM members WHERE gid = ? AND account = ?');
    this.nick = db.prepare('SELECT nick FROM profiles WHERE sdkappid = ? AND account = ?');
  }

  name(account: string): string | undefined {
    if (this.cache.has(account)) return this.cache.get(account);
    const name = lookup(this.card, [this.group.gid, account]) ?? lookup(this.nick, [this.group.sdkAppId, account]);
    this.cache.set(account, name);
    return name;
  }

  close(): void {
    this.card.free();
    this.nick.free();
  }
}

function lookup(stmt: Statement, params: SqlValue[]): string | undefined {
  try {
    stmt.bind(params);
    if (!stmt.step()) return undefined;
    const v = stmt.get()[0];
    return typeof v === 'string' && v.trim() !== '' ? v : undefined;
  } finally {
    stmt.reset();
  }
}
