// What an existing file must be before we touch it: a whole SQLite database, ours, not from a newer version,
// and passing SQLite's quick_check. Anything else is refused with the file left exactly as it was.

import type { Database } from 'sql.js';
import { archiveErrors } from './errors';
import { APPLICATION_ID, SCHEMA_VERSION } from './schema';

const MAGIC = 'SQLite format 3\0';
const HEADER_SIZE = 100;

/** Checks the 100-byte SQLite header against the file's length; throws 'corrupt', 'foreign' or 'too-new'. */
export function verifyHeader(path: string, bytes: Uint8Array): void {
  if (bytes.length === 0) throw archiveErrors.corrupt(path, 'the file is empty');
  if (bytes.length < HEADER_SIZE || String.fromCharCode(...bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw archiveErrors.corrupt(path, 'it is not an SQLite database');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pageSize = validPageSize(bytes);
  if (pageSize === undefined) throw archiveErrors.corrupt(path, 'its header is damaged');
  const length = headerLength(bytes);
  if (bytes.length % pageSize !== 0 || (length !== undefined && length > bytes.length)) {
    throw archiveErrors.corrupt(path, 'the file is cut short');
  }
  const appId = view.getInt32(68);
  if (appId !== APPLICATION_ID) {
    throw archiveErrors.foreign(path, appId === 0 ? 'it is an SQLite database of another program' : `it is an SQLite database of another program, application id ${appId}`);
  }
  const version = view.getInt32(60);
  if (version > SCHEMA_VERSION) throw archiveErrors.tooNew(path, version, SCHEMA_VERSION);
}

/**
 * The database's length according to its header, when the header's page count can be trusted: it is maintained
 * by every SQLite since 3.7.0, which marks it valid by making version-valid-for equal the change counter.
 */
export function headerLength(bytes: Uint8Array): number | undefined {
  if (bytes.length < HEADER_SIZE) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pageCount = view.getUint32(28);
  return pageCount > 0 && view.getUint32(92) === view.getUint32(24) ? pageSizeOf(bytes) * pageCount : undefined;
}

/** The page size a database header declares (not checked: verifyHeader does that). */
export function pageSizeOf(header: Uint8Array): number {
  const raw = (header[16]! << 8) | header[17]!;
  return raw === 1 ? 65536 : raw;
}

/** The page size the header declares, if it is one SQLite can have. */
export function validPageSize(header: Uint8Array): number | undefined {
  if (header.length < HEADER_SIZE) return undefined;
  const size = pageSizeOf(header);
  return size >= 512 && (size & (size - 1)) === 0 ? size : undefined;
}

/** SQLite's own structural check of every page (quick_check: no index-content cross-check, which is slow). */
export function verifyDatabase(path: string, db: Database): void {
  let problems: string[];
  try {
    problems = (db.exec('PRAGMA quick_check')[0]?.values ?? []).map((row) => String(row[0]));
  } catch (err) {
    throw archiveErrors.corrupt(path, `SQLite cannot read it: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw archiveErrors.corrupt(path, `SQLite's integrity check failed: ${problems.slice(0, 3).join('; ') || 'no answer'}`);
  }
}
