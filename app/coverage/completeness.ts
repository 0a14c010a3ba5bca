// Reads one stream's completeness (./verdict.ts) from the archive's own records: its stats, coverage and gaps.

import { type Archive, type GroupRow, mergeRanges, rangeSize, subtractRanges } from '../archive';
import { rowStats } from '../export/source';
import { type Completeness, judge, type MediaTally, type StreamCounts } from './verdict';

/** The completeness of one archived stream, from the archive's own records. */
export function completeness(archive: Archive, group: GroupRow): Completeness {
  const stats = archive.stats(group.gid);
  const cov = archive.coverage(group.gid);
  const newest = Math.max(group.newestSeq ?? 0, stats.newest ?? 0, ...cov.covered.map((r) => r.hi), ...cov.expired.map((r) => r.hi));
  const gaps = newest > 0 ? archive.gaps(group.gid, 1, newest) : [];
  const failed = mergeRanges(cov.failed);
  const notYetFetched = rangeSize(gaps.flatMap((g) => subtractRanges(g, failed)));
  const counts: StreamCounts = {
    archived: stats.archived,
    recalled: stats.recalled,
    placeholders: stats.placeholders,
    absent: stats.absent,
    failed: stats.failed,
    expired: stats.expired,
    ...(stats.oldest !== undefined ? { oldest: stats.oldest } : {}),
    ...(stats.newest !== undefined ? { newest: stats.newest } : {}),
    messages: stats.archived + stats.recalled + stats.placeholders,
    ...(newest > 0 ? { newestKnown: newest } : {}),
    notYetFetched,
    missing: stats.failed + notYetFetched,
    media: mediaTally(archive, group.gid),
  };
  // The oldest message held dates the expired stretch below it.
  const oldestTime = stats.expired > 0 ? rowStats(archive, group.gid, {}).minTime : undefined;
  return judge(counts, group.newestSeq !== undefined, oldestTime);
}


function mediaTally(archive: Archive, gid: number): MediaTally {
  const c = archive.mediaCounts(gid);
  return {
    stored: c.stored.items,
    pending: c.pending.items,
    expired: c.expired.items,
    failed: c.failed.items,
    tooLarge: c['too-large'].items,
    skipped: c.skipped.items,
    noUrl: c['no-url'].items,
    storedBytes: c.stored.bytes,
  };
}
