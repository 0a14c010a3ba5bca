// The one definition of how complete the archive of a stream (a group, or one topic of a Community group) is, and
// every count shown about it. The coverage and Groups screens, `tim-backup status`, every export and the backup
// notifications read it from here, so no two places can call the same group complete and incomplete, or count
// its messages differently.
//
// Three answers a person needs to tell apart:
// - everything Tencent has ever numbered in this stream is archived ('complete');
// - everything Tencent still has is archived, but older history had already expired at Tencent before the first
//   backup ('complete-since': nothing can bring it back, and no later backup will change it);
// - some messages Tencent has (or had) are not archived: not fetched yet, or failed ('incomplete': a backup helps).
// A filtered export is a fourth statement about the export, not the archive: see `filtered` in describe().
//
// This file is pure (types and words): the window imports it. completeness.ts reads the archive.


export type CompletenessState = 'unknown' | 'complete' | 'complete-since' | 'incomplete';

/** Counts of one stream, by Seq (app/archive's stats, plus what the archive lacks). Dependency-free: the window imports it. */
export interface StreamCounts {
  /**
   * Messages the archive holds: one per Seq with a row — with content, recalled, or deleted at Tencent. It is what
   * the reader and every transcript show one line for, and what every screen calls "messages".
   */
  messages: number;
  /** Of those: with their content (normal messages). */
  archived: number;
  /** Of those: recalled (their content is kept when it was archived before the recall). */
  recalled: number;
  /** Of those: deleted or failed to store at Tencent, no content. */
  placeholders: number;
  /** Covered Seqs without a message (never stored at Tencent, or recalled and not returned). */
  absent: number;
  /** Seqs that could not be fetched. */
  failed: number;
  /** Seqs that had expired at Tencent before the first backup. */
  expired: number;
  oldest?: number;
  newest?: number;
  /** The newest Seq Tencent reported (or the newest archived, if higher). */
  newestKnown?: number;
  /** Seqs up to newestKnown that no backup has fetched yet (failed ones not counted). */
  notYetFetched: number;
  /** Seqs Tencent had when a backup asked and the archive lacks: failed + not yet fetched. A backup fetches them. */
  missing: number;
  /** The images, files, voice messages and videos of these messages (app/media); they do not change the verdict. */
  media?: MediaTally;
}

/** Media renditions by what became of them; `storedBytes` is what the stored ones take on disk. */
export interface MediaTally {
  stored: number;
  /** Not downloaded yet (a backup or `tim-backup media retry` continues them). */
  pending: number;
  /** Tencent had deleted them before they were downloaded. */
  expired: number;
  failed: number;
  tooLarge: number;
  skipped: number;
  noUrl: number;
  storedBytes: number;
}

export interface Completeness {
  state: CompletenessState;
  counts: StreamCounts;
  /**
   * 'complete-since': the time (Unix seconds) of the oldest message held; the history before it expired at
   * Tencent before the first backup. Absent when nothing at all was left at Tencent.
   */
  since?: number;
}

/** The verdict from the counts alone (kept apart so that it is tested on every combination). */
export function judge(counts: StreamCounts, newestKnownAtTencent: boolean, oldestTime: number | undefined): Completeness {
  if (!newestKnownAtTencent) return { state: 'unknown', counts };
  if (counts.missing > 0) return { state: 'incomplete', counts };
  if (counts.expired > 0) return { state: 'complete-since', counts, ...(oldestTime !== undefined ? { since: oldestTime } : {}) };
  return { state: 'complete', counts };
}

/** The words of the verdicts, in each language's dictionary (app/export/i18n.ts). */
export interface CompletenessWords {
  complete: string;
  completeSince: (date: string) => string;
  allExpired: string;
  incomplete: (missing: string) => string;
  incompleteFailed: (missing: string, failed: string) => string;
  unknownNewest: string;
  filtered: string;
}

export interface Verdict {
  tone: 'ok' | 'expired' | 'bad' | 'unknown' | 'filtered';
  text: string;
}

/**
 * The sentence for a person. `filtered`: the statement is about an export that left messages out on purpose,
 * which must never read as "complete" whatever the archive holds.
 */
export function describe(
  c: Completeness,
  words: CompletenessWords,
  format: { count: (n: number) => string; date: (unixSeconds: number) => string },
  filtered = false,
): Verdict {
  if (filtered) return { tone: 'filtered', text: words.filtered };
  switch (c.state) {
    case 'unknown':
      return { tone: 'unknown', text: words.unknownNewest };
    case 'complete':
      return { tone: 'ok', text: words.complete };
    case 'complete-since':
      return { tone: 'expired', text: c.since !== undefined ? words.completeSince(format.date(c.since)) : words.allExpired };
    case 'incomplete':
      return {
        tone: 'bad',
        text: c.counts.failed > 0 ? words.incompleteFailed(format.count(c.counts.missing), format.count(c.counts.failed)) : words.incomplete(format.count(c.counts.missing)),
      };
  }
}

export type CoverageKey = 'newestKnown' | 'totalMessages' | 'archived' | 'recalled' | 'placeholders' | 'absent' | 'failed' | 'expired' | 'notYetFetched';

export interface CoverageLine {
  key: CoverageKey;
  label: string;
  value: number;
  /** A part of the line above it (with content, recalled, deleted are parts of the messages archived). */
  part?: boolean;
}

/** The counts, labelled in the order every screen and export lists them; zero lines are kept, so none is hidden. */
export function coverageLines(counts: StreamCounts, labels: Record<CoverageKey, string>): CoverageLine[] {
  const lines: CoverageLine[] = [];
  if (counts.newestKnown !== undefined) lines.push({ key: 'newestKnown', label: labels.newestKnown, value: counts.newestKnown });
  lines.push({ key: 'totalMessages', label: labels.totalMessages, value: counts.messages });
  for (const key of ['archived', 'recalled', 'placeholders'] as const) lines.push({ key, label: labels[key], value: counts[key], part: true });
  for (const key of ['absent', 'failed', 'expired', 'notYetFetched'] as const) lines.push({ key, label: labels[key], value: counts[key] });
  return lines;
}
