// What every export format reads from the archive: the selected groups, their messages one row at a time in Seq
// order (never a whole group in memory) and coverage as the archive itself counts it. Names: ../people/names.

import { type Archive, arrayStatement, CHECKED_COLUMNS, type Db, eachRow, type GroupRow, rowIntact } from '../archive';
import { filterWhere, type MessageFilter } from '../search/filter';
import { selectGroups } from './select';
import type { StoredMessage } from './view';

export interface ExportRow extends StoredMessage {
  kinds: number;
  /** messages.text: the archive's plain-text rendering of all elements. */
  text: string;
}

/** A message whose archived row no longer matches its checksum, named as a person finds it again. */
export interface DamagedMessage {
  groupId: string;
  topicId?: string;
  seq: number;
}

/** The damaged rows an export met, for its summary (absent when there were none). */
export class DamagedMessages {
  readonly list: DamagedMessage[] = [];

  /** What messageRows calls for each damaged row of group `g`. */
  of(g: GroupRow): (seq: number) => void {
    return (seq) => this.list.push({ groupId: g.groupId, ...(g.topicId ? { topicId: g.topicId } : {}), seq });
  }

  get summary(): { damaged?: DamagedMessage[] } {
    return this.list.length > 0 ? { damaged: this.list } : {};
  }
}

/** The groups a filter names (all when it names none); an ID the archive does not hold is a SelectionError. */
export function filteredGroups(archive: Archive, filter: MessageFilter): GroupRow[] {
  return selectGroups(archive, filter.groupIds ?? []);
}

/**
 * The group's messages that pass the filter, ascending by Seq, read lazily from one prepared statement. Each row
 * is checked against its checksum: a damaged one comes marked `damaged` (every format shows it as damage, never
 * its content) and is told to `onDamaged`.
 */
export function* messageRows(archive: Archive, gid: number, filter: MessageFilter, onDamaged?: (seq: number) => void): Generator<ExportRow, void, undefined> {
  for (const values of filteredRows(archive.db, CHECKED_COLUMNS, gid, filter)) {
    const [, seq, state, sender, time, kinds, isSystem, text, raw] = values;
    const damaged = !rowIntact(values);
    if (damaged) onDamaged?.(Number(seq));
    yield {
      seq: Number(seq),
      state: Number(state),
      sender: String(sender),
      // Damage may have made the time something no date can be made of; a transcript still needs one to place it.
      time: Number.isSafeInteger(time) ? Number(time) : 0,
      kinds: Number(kinds),
      isSystem: Number(isSystem) !== 0,
      text: String(text),
      raw: String(raw),
      ...(damaged ? { damaged } : {}),
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
