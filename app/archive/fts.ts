// What the full-text index (message_fts) holds, for migrations (schema.ts), rebuilds and search's exact
// verification (app/search): a message's searchable text in indexForm(), when the stored version of the message
// has content (archive.ts indexes the same at ingest, from the describe() it has already made). A recalled or
// deleted message keeps the row of its archived original.

import type { GroupMsg } from '../im/wire';
import { indexForm, pairWords } from '../search/normalize';
import { describe, placeState } from './extract';
import { arrayStatement, type Db, fillInBatches, type UpgradeFill, valueOf } from './sqlite';

/** The searchable text of a stored message version; '' for a placeholder (recalled/deleted without content). */
export function searchableText(msg: GroupMsg): string {
  return placeState(msg) === 0 ? describe(msg).searchable : '';
}

/**
 * message_fts as of schema v2. order=DESC: doclists are stored newest first, so FTS4 reads them incrementally
 * for a newest-first page and stops after it, instead of loading every docid of a common term (measured at 1M
 * messages: 大家好 141 ms → 2 ms). matchinfo=fts3: no per-message %_docsize row, which nothing here reads
 * (12% smaller index, cheaper inserts).
 */
export const MESSAGE_FTS = `CREATE VIRTUAL TABLE message_fts USING fts4(content="", body, tokenize=unicode61 "remove_diacritics=2", order=DESC, matchinfo=fts3)`;

/**
 * Empties message_fts (a contentless FTS4 table cannot delete rows: it is recreated by its own CREATE statement)
 * and indexes every stored message again. Runs inside the caller's transaction. Returns the rows indexed.
 */
export function rebuildFts(db: Db): number {
  const create = String(valueOf(db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'message_fts'") ?? MESSAGE_FTS);
  db.exec('DROP TABLE IF EXISTS message_fts');
  db.exec(create);
  const read = arrayStatement(db, 'SELECT id, raw FROM messages ORDER BY id');
  // node:sqlite binds every JavaScript number as a double, which FTS4 refuses as a docid.
  const insert = db.prepare('INSERT INTO message_fts (docid, body) VALUES (CAST(? AS INTEGER), ?)');
  let rows = 0;
  for (const row of read.iterate()) {
    const [id, raw] = row as unknown as [number, string];
    const body = indexForm(searchableText(JSON.parse(raw) as GroupMsg));
    if (!body) continue;
    insert.run(id, body);
    rows++;
  }
  return rows;
}

/** Notes (the notes table): every index row has its pair words; or where adding them to older rows goes on. */
const PAIRS_COMPLETE = 'index-pairs';
const PAIRS_NEXT = 'index-pairs-next';
/** Messages whose pair words are added per transaction. */
const PAIRS_BATCH = 20_000;

export function indexHasPairs(db: Db): boolean {
  return valueOf(db, 'SELECT value FROM notes WHERE key = ?', PAIRS_COMPLETE) === 'all';
}

export function markPairsComplete(db: Db): void {
  db.prepare('DELETE FROM notes WHERE key = ?').run(PAIRS_NEXT);
  db.prepare("INSERT INTO notes (key, value) VALUES (?, 'all') ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(PAIRS_COMPLETE);
}

/** Schema v11: an archive with messages indexed before pair words gets them from fillPairs; an empty one has them all. */
export function startPairs(db: Db): void {
  const first = valueOf(db, 'SELECT min(id) FROM messages');
  if (first === null || first === undefined) markPairsComplete(db);
  else db.prepare('INSERT INTO notes (key, value) VALUES (?, ?)').run(PAIRS_NEXT, String(first));
}

/**
 * Adds the pair words to the index rows of messages indexed before schema v11, in id order (FTS4 writes a segment
 * whenever a docid goes down), a batch per transaction; a second row with the same docid only adds postings.
 * Resumes where an interrupted fill stopped; then search may use pairs (indexHasPairs). Returns the messages read.
 */
export function fillPairs(db: Db, opts: UpgradeFill = {}): number {
  const from = valueOf(db, 'SELECT value FROM notes WHERE key = ?', PAIRS_NEXT);
  if (from === undefined || from === null) return 0;
  let next = Number(from);
  let read = 0;
  const rows = arrayStatement(db, 'SELECT id, raw FROM messages WHERE id >= ? ORDER BY id LIMIT ?');
  const insert = db.prepare('INSERT INTO message_fts (docid, body) VALUES (CAST(? AS INTEGER), ?)');
  const progress = db.prepare('UPDATE notes SET value = ? WHERE key = ?');
  fillInBatches(db, PAIRS_BATCH, opts, (batch) => {
    let n = 0;
    for (const [id, raw] of rows.iterate(next, batch) as Iterable<[number, string]>) {
      n++;
      next = id + 1;
      const pairs = pairWords(searchableText(JSON.parse(raw) as GroupMsg));
      if (pairs) insert.run(id, pairs);
    }
    read += n;
    if (n < batch) markPairsComplete(db);
    else progress.run(String(next), PAIRS_NEXT);
    return n < batch;
  });
  return read;
}
