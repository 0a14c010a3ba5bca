// The archive's public surface: the engine writes through Archive; search and export read its tables through
// `archive.db`, a node:sqlite connection (schema: ./README.md).

export {
  Archive,
  archiveFile,
  type ArchiveStats,
  type Coverage,
  type GroupLastRun,
  type GroupRow,
  type GroupUpsert,
  type JournalInfo,
  type OpenOptions,
  type PeopleField,
  type ProfileUpsert,
  type RangeStatus,
  type RunGroupResult,
  type RunOutcome,
  type RunRecord,
  type RunStart,
  type RunTrigger,
  type StoreResult,
  type Verification,
} from './archive';
export { CHECKED_COLUMNS, type DamagedRow, rowChecksum, rowIntact } from './checksum';
export { ArchiveError, type ArchiveErrorKind } from './errors';
export { describe, type Described, KINDS, type KindName, placeState } from './extract';
export type { JournalMode } from './journal';
export { allRows, arrayStatement, type Db, eachRow, firstRow, rowsOf, type SqlParam, type Statement, valueOf } from './sqlite';
export type { IntegrityReport } from './verify';
export { lockPathOf } from './lock';
export type { MediaCounts, MediaOutcome, MediaWaiting, MediaWork, MissingMedia } from './media';
export { mergeRanges, type Range, rangeSize, subtractRanges } from './ranges';
export { APPLICATION_ID, SCHEMA_VERSION } from './schema';
