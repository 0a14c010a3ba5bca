// What an existing file must be before we touch it: a whole SQLite database, ours, not from a newer version.
// These checks read the file's first bytes only, before SQLite opens it, so a refused file is left exactly as it
// was (SQLite would create journal files beside a database in WAL mode). The structural check (integrity) runs
// through SQLite once the file is ours: after a writer did not close cleanly, and on demand (verify()).

import { closeSync, openSync, readSync } from 'node:fs';
import { archiveErrors } from './errors';
import { APPLICATION_ID, SCHEMA_VERSION } from './schema';
import { type Db, rowsOf } from './sqlite';

const MAGIC = 'SQLite format 3\0';
const HEADER_SIZE = 100;

export interface FileFacts {
  /** The file's length in bytes. */
  size: number;
  /** A write-ahead log with content lies beside it: the main file alone may be older than the database. */
  walPending: boolean;
}

/** Reads the header of `path` and throws 'corrupt', 'foreign' or 'too-new' unless it is one of our archives. */
export function verifyHeader(path: string, facts: FileFacts): void {
  const header = readHeader(path);
  if (header.length < HEADER_SIZE || String.fromCharCode(...header.subarray(0, MAGIC.length)) !== MAGIC) {
    throw archiveErrors.corrupt(path, 'not-sqlite');
  }
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const pageSize = validPageSize(header);
  if (pageSize === undefined) throw archiveErrors.corrupt(path, 'header');
  // With a write-ahead log pending, the main file may legitimately be shorter than its header says (a WAL
  // checkpoint cut short by a crash): SQLite completes it from the log.
  const length = headerLength(header);
  if (!facts.walPending && (facts.size % pageSize !== 0 || (length !== undefined && length > facts.size))) {
    throw archiveErrors.corrupt(path, 'cut-short');
  }
  const appId = view.getInt32(68);
  if (appId !== APPLICATION_ID) {
    throw archiveErrors.foreign(path, 'other-program', appId);
  }
  checkVersion(path, view.getInt32(60));
}

/** The same checks through SQLite, which also reads the write-ahead log (the header alone may be older). */
export function verifyIdentity(path: string, db: Db): void {
  const appId = Number(rowsOf(db, 'PRAGMA application_id')[0]?.[0] ?? 0);
  if (appId !== APPLICATION_ID) throw archiveErrors.foreign(path, 'other-program');
  checkVersion(path, Number(rowsOf(db, 'PRAGMA user_version')[0]?.[0] ?? 0));
}

function checkVersion(path: string, version: number): void {
  if (version > SCHEMA_VERSION) throw archiveErrors.tooNew(path, version, SCHEMA_VERSION);
}

function readHeader(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(HEADER_SIZE);
    const n = readSync(fd, buf, 0, HEADER_SIZE, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * The database's length according to its header, when the header's page count can be trusted: it is maintained
 * by every SQLite since 3.7.0, which marks it valid by making version-valid-for equal the change counter.
 */
function headerLength(header: Uint8Array): number | undefined {
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const pageCount = view.getUint32(28);
  return pageCount > 0 && view.getUint32(92) === view.getUint32(24) ? pageSizeOf(header) * pageCount : undefined;
}

function pageSizeOf(header: Uint8Array): number {
  const raw = (header[16]! << 8) | header[17]!;
  return raw === 1 ? 65536 : raw;
}

function validPageSize(header: Uint8Array): number | undefined {
  const size = pageSizeOf(header);
  return size >= 512 && (size & (size - 1)) === 0 ? size : undefined;
}

/**
 * Since SQLite 3.44 the check also asks each FTS table to validate its index against its content; a contentless
 * FTS4 table (message_fts) has no content to compare, so it always answers this. Its own pages are still checked.
 */
const CONTENTLESS_FTS = /^unable to validate the inverted index for FTS4 table main\.message_fts: SQL logic error$/;

export interface IntegrityReport {
  ok: boolean;
  /** SQLite's findings, at most `limit` of them; empty when ok. */
  problems: string[];
  ms: number;
}

/**
 * SQLite's structural check of every page. `quick` skips the cross-check of index contents against their tables
 * (several times faster); `verify` on demand runs the full check.
 */
export function checkIntegrity(db: Db, quick: boolean, limit = 20): IntegrityReport {
  const started = performance.now();
  const rows = rowsOf(db, `PRAGMA ${quick ? 'quick_check' : 'integrity_check'}(${limit})`)
    .map((r) => String(r[0]))
    .filter((r) => !CONTENTLESS_FTS.test(r));
  const ok = rows.length === 0 || (rows.length === 1 && rows[0] === 'ok');
  return { ok, problems: ok ? [] : rows, ms: performance.now() - started };
}
