// The archive's connections to SQLite (node:sqlite: the SQLite library of the Node or Electron running us, working
// on the file itself). One place decides how a connection is opened, which SQLite build is good enough, and what
// SQLite's failures mean to the person who sees them.

import { existsSync } from 'node:fs';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';
import { type ArchiveError, archiveErrors } from './errors';

export type Db = DatabaseSync;
export type Statement = StatementSync;
export type SqlParam = SQLInputValue;

/** A reader waits this long for the moments SQLite does lock readers out (WAL recovery after a crash). */
const BUSY_TIMEOUT_MS = 5000;

export function openConnection(path: string, readOnly: boolean): Db {
  const options = { readOnly, timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: false };
  const db = new DatabaseSync(path, options);
  if (!readOnly) return db;
  try {
    db.prepare('PRAGMA schema_version').get();
    return db;
  } catch (err) {
    db.close();
    // A WAL-mode archive on read-only media (a burned disc, a write-protected drive): SQLite cannot create the
    // -shm it shares with writers. With no log beside the file, nothing can be pending or change, which is
    // exactly what `immutable` tells SQLite.
    if (sqliteCode(err) !== SQLITE_CANTOPEN || existsSync(`${path}-wal`)) throw err;
    const url = pathToFileURL(path);
    url.searchParams.set('immutable', '1');
    return new DatabaseSync(url, options);
  }
}

/**
 * The archive's full-text index is FTS4 (message_fts) and search tokenizes queries with fts3tokenize: a SQLite
 * built without them (a custom Node build, say) could open the file but never search it, so it is refused at open.
 */
export function requireFullText(db: Db, path: string): void {
  try {
    db.exec("CREATE VIRTUAL TABLE temp.fts_probe USING fts4(content='', body); DROP TABLE temp.fts_probe");
    db.exec("CREATE VIRTUAL TABLE temp.tokenize_probe USING fts3tokenize('unicode61'); DROP TABLE temp.tokenize_probe");
  } catch (err) {
    if (!/no such module/.test(err instanceof Error ? err.message : '')) throw err;
    throw archiveErrors.noFullText(path, process.versions.sqlite ?? 'unknown', err);
  }
}

/** All rows of a query, as arrays in column order. */
export function rowsOf(db: Db, sql: string, ...params: SqlParam[]): unknown[][] {
  return allRows(arrayStatement(db, sql), ...params);
}

/** The first column of the first row, or undefined. */
export function valueOf(db: Db, sql: string, ...params: SqlParam[]): unknown {
  return rowsOf(db, sql, ...params)[0]?.[0];
}

/** A statement that returns rows as arrays in column order (read them with firstRow/allRows/eachRow). */
export function arrayStatement(db: Db, sql: string): Statement {
  const stmt = db.prepare(sql);
  stmt.setReturnArrays(true);
  return stmt;
}

// node:sqlite types rows as objects whatever setReturnArrays says; these read an arrayStatement's rows as arrays.
export function firstRow(stmt: Statement, ...params: SqlParam[]): unknown[] | undefined {
  return stmt.get(...params) as unknown as unknown[] | undefined;
}

export function allRows(stmt: Statement, ...params: SqlParam[]): unknown[][] {
  return stmt.all(...params) as unknown as unknown[][];
}

export function eachRow(stmt: Statement, ...params: SqlParam[]): IterableIterator<unknown[]> {
  return stmt.iterate(...params) as unknown as IterableIterator<unknown[]>;
}

// Primary result codes (https://sqlite.org/rescode.html); node:sqlite reports the extended code in `errcode`.
const SQLITE_BUSY = 5;
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;

/** SQLite's primary result code of a node:sqlite error, if it is one. */
export function sqliteCode(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('errcode' in err) || typeof err.errcode !== 'number') return undefined;
  return err.errcode & 0xff;
}

/** A SQLite failure on the archive file as the ArchiveError the person sees; undefined for anything else. */
export function archiveErrorOf(path: string, err: unknown): ArchiveError | undefined {
  const detail = err instanceof Error ? err.message : String(err);
  switch (sqliteCode(err)) {
    case SQLITE_FULL:
      return archiveErrors.diskFull(path, err);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return archiveErrors.corrupt(path, 'sqlite-reports', detail, err);
    case SQLITE_READONLY:
      return archiveErrors.unwritable(path, 'read-only', {}, err);
    case SQLITE_CANTOPEN:
      return archiveErrors.unwritable(path, 'sqlite-cannot-open', {}, err);
    case SQLITE_IOERR:
      return archiveErrors.unwritable(path, 'disk-error', { detail }, err);
    case SQLITE_BUSY:
      return archiveErrors.busy(path, err);
    default:
      return undefined;
  }
}

/** How an upgrade fills in what its migration added, a batch per transaction (tests size and watch the batches). */
export interface UpgradeFill {
  batch?: number;
  /** After each committed batch, before its checkpoint. */
  onBatch?: () => void;
}

/**
 * Runs `step(batch)` in a transaction of its own, again until it says it is done, and moves the write-ahead log
 * into the file after each: an upgrade that touches every row of a big archive never needs a log the size of
 * the table (one statement over every row did).
 */
export function fillInBatches(db: Db, defaultBatch: number, opts: UpgradeFill, step: (batch: number) => boolean): void {
  const batch = opts.batch ?? defaultBatch;
  for (;;) {
    db.exec('BEGIN IMMEDIATE');
    let done: boolean;
    try {
      done = step(batch);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
    opts.onBatch?.();
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    if (done) return;
  }
}
