// The archive's public surface: the engine writes through Archive; search and export read its tables via
// `archive.db` (schema: ./README.md).

export {
  Archive,
  type ArchiveStats,
  type CheckpointResult,
  type Coverage,
  type GroupRow,
  type GroupUpsert,
  type OpenOptions,
  type RangeStatus,
  type RunOutcome,
  type StoreResult,
  type Verification,
} from './archive';
export { ArchiveError, type ArchiveErrorKind } from './errors';
export { describe, type Described, KINDS, type KindName, placeState } from './extract';
export type { FileOps, WritableFile } from './durable';
export { lockPathOf } from './lock';
export { mergeRanges, type Range, rangeSize, subtractRanges } from './ranges';
export { APPLICATION_ID, SCHEMA_VERSION } from './schema';
