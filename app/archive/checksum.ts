// Each message row's checksum (messages.checksum, schema v8): a bit flipped inside a record by a failing disk or
// another program leaves SQLite's own checks passing (the page is well-formed), so without it a damaged text would
// be searched, shown and exported as if it were what Tencent sent.
//
// What it covers: every column a person sees or a filter reads — gid and seq (which message it is), state,
// sender, time, kinds, is_system, text and raw. Not id, first_run, last_run: bookkeeping the writer rewrites on
// every read-back (last_run), which would otherwise cost a re-hash per touched row, and which no transcript shows.
// CRC-32 (zlib's, native): it catches every burst of up to 32 flipped bits and almost all other accidental damage
// at about a gigabyte a second; it is not a defence against someone who edits the file on purpose (no unkeyed sum
// is — they would write a matching one).

import { crc32 } from 'node:zlib';
import { arrayStatement, type Db, eachRow, fillInBatches, type UpgradeFill } from './sqlite';

/** The columns a checksum covers, in rowChecksum's order, then the stored checksum. */
export const CHECKED_COLUMNS = 'gid, seq, state, sender, time, kinds, is_system, text, raw, checksum';

/** The SQL function of the same checksum, for whole-table work (migration 8's fill, `verify`). */
const SQL_FUNCTION = 'tim_row_checksum';
export const CHECKSUM_SQL = `${SQL_FUNCTION}(gid, seq, state, sender, time, kinds, is_system, text, raw)`;

/**
 * The checksum of one row's covered values (in CHECKED_COLUMNS order), or -1 when a value is not of its column's
 * type (damage can turn a text into a blob): -1 never equals a stored CRC-32, so such a row reads as damaged.
 */
export function rowChecksum(gid: unknown, seq: unknown, state: unknown, sender: unknown, time: unknown, kinds: unknown, isSystem: unknown, text: unknown, raw: unknown): number {
  if (typeof sender !== 'string' || typeof text !== 'string' || typeof raw !== 'string') return -1;
  if (typeof gid !== 'number' || typeof seq !== 'number' || typeof state !== 'number' || typeof time !== 'number' || typeof kinds !== 'number' || typeof isSystem !== 'number') return -1;
  // The text's length marks where it ends and raw begins, so bytes moved across that border still count. One
  // call over the whole: the same CRC as summing head, text and raw in turn (archives hold those), a third of the
  // calls — each converts its string to UTF-8 first, which cost more than the sum itself.
  return crc32(`${gid}\u0000${seq}\u0000${state}\u0000${sender}\u0000${time}\u0000${kinds}\u0000${isSystem}\u0000${text.length}\u0000${text}${raw}`);
}

/**
 * Whether a stored checksum vouches for what a row holds now. NULL is "not yet summed": a row of an archive whose
 * upgrade to v9 was interrupted before fillChecksums reached it — nothing to compare, so not damage; the next
 * writer sums it.
 */
export function checksumMatches(stored: unknown, computed: number): boolean {
  return stored === null || stored === computed;
}

/** Whether a row read with CHECKED_COLUMNS (at `at` in `values`) still matches its checksum. */
export function rowIntact(values: readonly unknown[], at = 0): boolean {
  const v = values;
  return checksumMatches(v[at + 9], rowChecksum(v[at], v[at + 1], v[at + 2], v[at + 3], v[at + 4], v[at + 5], v[at + 6], v[at + 7], v[at + 8]));
}

/** The partial index of rows not yet summed, made by migration 9 and dropped once fillChecksums has summed them all. */
export const UNSUMMED_INDEX = 'messages_unsummed';

/** Rows summed per transaction: the write-ahead log holds about one batch, not the whole table. */
const FILL_BATCH = 20_000;

/**
 * Sums the rows migration 9 left without a checksum, a batch per transaction with a checkpoint after each, so an
 * upgrade of a big archive never needs a write-ahead log the size of the table (one UPDATE of every row did).
 * Resumes where an interrupted fill stopped (the index says what is left); a no-op once done. Returns the rows
 * summed.
 */
export function fillChecksums(db: Db, opts: UpgradeFill = {}): number {
  const pending = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").get(UNSUMMED_INDEX);
  if (!pending) return 0;
  registerChecksum(db);
  const sum = db.prepare(`UPDATE messages SET checksum = ${CHECKSUM_SQL} WHERE id IN (SELECT id FROM messages WHERE checksum IS NULL LIMIT ?)`);
  let summed = 0;
  fillInBatches(db, FILL_BATCH, opts, (batch) => {
    const changed = Number(sum.run(batch).changes);
    summed += changed;
    if (changed < batch) db.exec(`DROP INDEX ${UNSUMMED_INDEX}`);
    return changed < batch;
  });
  return summed;
}

const registered = new WeakSet<Db>();

/** Makes CHECKSUM_SQL callable on this connection (once per connection). */
export function registerChecksum(db: Db): void {
  if (registered.has(db)) return;
  db.function(SQL_FUNCTION, { deterministic: true }, rowChecksum);
  registered.add(db);
}

/** One damaged row: which message it is, as far as the row itself can still say. */
export interface DamagedRow {
  gid: number;
  seq: number;
}

export interface DamageScan {
  /** One group; every group when absent (then `afterSeq`, `limit` and `since` do not apply). */
  gid?: number;
  /** Only Seqs above this. */
  afterSeq?: number;
  /** Examine at most this many rows. */
  limit?: number;
  /** Only messages sent at or after this time (Unix seconds). */
  since?: number;
}

/**
 * The damaged rows, Seq ascending per group, and how many rows were examined; with `limit`, `next` is where to go
 * on from (undefined when the group is done). Chunked so that a caller on a busy thread (the backup) can let
 * other work run between chunks.
 */
export function damagedRows(db: Db, opts: DamageScan = {}): { damaged: DamagedRow[]; next?: number; examined: number } {
  registerChecksum(db);
  const limit = opts.limit ?? -1;
  const where = opts.gid === undefined ? '' : 'WHERE gid = ? AND seq > ? AND time >= ?';
  const params = opts.gid === undefined ? [] : [opts.gid, opts.afterSeq ?? Number.MIN_SAFE_INTEGER, opts.since ?? Number.MIN_SAFE_INTEGER];
  const sql = `SELECT gid, seq, checksum IS NOT NULL AND checksum IS NOT ${CHECKSUM_SQL} FROM messages ${where} ORDER BY ${opts.gid === undefined ? 'gid, seq' : 'seq'} LIMIT ?`;
  const damaged: DamagedRow[] = [];
  let examined = 0;
  let last: number | undefined;
  for (const row of eachRow(arrayStatement(db, sql), ...params, limit)) {
    examined++;
    last = Number(row[1]);
    if (Number(row[2]) !== 0) damaged.push({ gid: Number(row[0]), seq: last });
  }
  return { damaged, examined, ...(limit > 0 && examined === limit && last !== undefined ? { next: last } : {}) };
}
