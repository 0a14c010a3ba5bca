// What every export format reads from the archive: the selected groups, their messages one row at a time in Seq
// order (never a whole group in memory) and coverage as the archive itself counts it. Names: ../people/names.

import { type Archive, arrayStatement, type Db, eachRow, type GroupRow } from '../archive';
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
  for (const [seq, state, sender, time, kinds, isSystem, text, raw] of filteredRows(archive.db, 'seq, state, sender, time, kinds, is_system, text, raw', gid, filter)) {
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
}

export interface RowSize {
  seq: number;
  time: number;
  /** UTF-8 bytes of the archived JSON: what a rendered message's size grows with. */
  bytes: number;
}

/** Seq, time and size of the same rows as messageRows(): enough to plan pages before rendering any. */
export function* rowSizes(archive: Archive, gid: number, filter: MessageFilter): Generator<RowSize, void, undefined> {
  for (const [seq, time, bytes] of filteredRows(archive.db, 'seq, time, octet_length(raw)', gid, filter)) {
    yield { seq: Number(seq), time: Number(time), bytes: Number(bytes) };
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
  const [[count, firstSeq, lastSeq, minTime, maxTime] = []] = filteredRows(archive.db, 'count(*), min(seq), max(seq), min(time), max(time)', gid, filter, false);
  if (!count) return { count: 0 };
  return { count: Number(count), firstSeq: Number(firstSeq), lastSeq: Number(lastSeq), minTime: Number(minTime), maxTime: Number(maxTime) };
}

/** The rows of one group that pass the filter, stepped only as far as the caller reads. */
function filteredRows(db: Db, columns: string, gid: number, filter: MessageFilter, ordered = true): IterableIterator<unknown[]> {
  // The caller iterates one group at a time: the group condition is the gid itself.
  const where = filterWhere({ ...filter, groupIds: [] }, 'm');
  const stmt = arrayStatement(db, `SELECT ${columns} FROM messages m WHERE m.gid = ? AND ${where.sql}${ordered ? ' ORDER BY m.seq' : ''}`);
  return eachRow(stmt, gid, ...where.params);
}
