// When each group's history starts to vanish at Tencent, and when the next backup must run to stay ahead of it.
//
// Tencent deletes a message once it is older than the plan's retention. What matters is the oldest message the
// archive does not hold yet: a gap left by a failed or cancelled backup, or else the first message that arrived
// after the last backup looked. Its exact time is unknown (it is not archived), so the deadline uses the earliest
// time it can have — Seqs grow with time, so it is no older than the archived message just below it, no older
// than the moment a backup found the group's newest message to be below it, and (above the retention edge a
// backup found) no older than that edge was then. A deadline can therefore come early, never late.

import { type Archive, firstRow, type GroupRow, arrayStatement } from '../archive';
import type { Deadline, DeadlineBasis } from './types';
import { SaidError, type Sentences, type Tables, sayAll } from '../errors/said';

export type { Deadline, DeadlineBasis } from './types';

export const DAY = 86_400_000;
/** Tencent's plans: 7 days (trial, Pro in mainland China), 30 (Pro), 90 (Enterprise / Pro Plus). */
export const PLAN_RETENTION_DAYS = [7, 30, 90] as const;
/** When nobody has said which plan the app is on: the shortest, so that no deadline is later than Tencent's. */
export const DEFAULT_RETENTION_DAYS = 7;
export const MAX_RETENTION_DAYS = 3650;

export const RETENTION_EN = {
  retention: (p) => `Retention is a whole number of days from 1 to ${MAX_RETENTION_DAYS}, such as 7, 30 or 90 (got ${p.got}).`,
} satisfies Sentences<'retention', { got: number }>;

export const RETENTION_ZH = {
  retention: (p) => `保留期限必须是 1 到 ${MAX_RETENTION_DAYS} 之间的整数天数，例如 7、30 或 90（当前为 ${p.got}）。`,
} satisfies Sentences<'retention', { got: number }>;

const RETENTION: Tables<'retention', { got: number }> = { en: RETENTION_EN, 'zh-CN': RETENTION_ZH };

export class RetentionError extends SaidError {
  override name = 'RetentionError';
  constructor(got: number) {
    super(sayAll(RETENTION, 'retention', { got }));
  }
}

/** A plan's retention in days: 7, 30, 90 or any whole number of days Tencent extended it to. */
export function checkRetentionDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
    throw new RetentionError(days);
  }
  return days;
}

/**
 * How long before a deadline the next backup is due: a day, or a quarter of a short retention — time for a
 * failed backup to be retried, a laptop to be woken, a person to be told.
 */
export function safetyMargin(retentionMs: number): number {
  return Math.min(DAY, retentionMs / 4);
}

/** What the archive has measured about one group (all times ms since the epoch). */
export interface GroupFacts {
  /** The newest Seq a backup learned from Tencent, and when. */
  newestSeq?: number;
  newestSeqAt?: number;
  /** The lowest Seq up to newestSeq that the archive neither holds nor knows to have expired. */
  oldestMissing?: number;
  /** The time of the archived message nearest below oldestMissing (or of the newest one when nothing is missing). */
  archivedBelowAt?: number;
  /** The retention edge (lowest Seq Tencent still held) and when a backup found it. */
  edge?: { seq: number; foundAt: number };
  /** Whether any backup has stored anything of the group. */
  backedUp: boolean;
}

export function groupDeadline(f: GroupFacts, retentionDays: number, now: number): Deadline {
  const retention = checkRetentionDays(retentionDays) * DAY;
  if (!f.backedUp) return { basis: 'never-backed-up', dueAt: now };
  const missing = f.oldestMissing !== undefined;
  const bounds = [f.archivedBelowAt];
  if (missing) {
    if (f.edge && f.oldestMissing! >= f.edge.seq) bounds.push(f.edge.foundAt - retention);
  } else {
    bounds.push(f.newestSeqAt);
  }
  const known = bounds.filter((t): t is number => t !== undefined);
  const basis: DeadlineBasis = missing ? 'missing' : 'up-to-date';
  const extra = missing ? { oldestMissing: f.oldestMissing! } : {};
  if (known.length === 0) return { basis, dueAt: now, ...extra };
  const expiresAt = Math.max(...known) + retention;
  return { basis, expiresAt, dueAt: expiresAt - safetyMargin(retention), ...extra };
}

/** The earliest of several deadlines' due times (a profile's next backup must beat all its groups). */
export function earliestDue(deadlines: Iterable<Deadline>): number | undefined {
  let earliest: number | undefined;
  for (const d of deadlines) earliest = earliest === undefined ? d.dueAt : Math.min(earliest, d.dueAt);
  return earliest;
}

/** Reads a group's facts from its archive. */
export function groupFacts(archive: Archive, g: GroupRow): GroupFacts {
  const cov = archive.coverage(g.gid);
  const expired = cov.expired[0]?.lo === 1 ? cov.expired[0] : undefined;
  const backedUp = cov.covered.length > 0 || expired !== undefined;
  const oldestMissing = g.newestSeq !== undefined ? archive.gaps(g.gid, 1, g.newestSeq)[0]?.lo : undefined;
  const db = archive.db;
  const below = firstRow(arrayStatement(db, 'SELECT time FROM messages WHERE gid = ? AND seq < ? ORDER BY seq DESC LIMIT 1'), g.gid, oldestMissing ?? Number.MAX_SAFE_INTEGER);
  // The expired stretch's row is rewritten only when a backup moves the edge: its time is when the edge was found.
  const foundAt = expired ? firstRow(arrayStatement(db, "SELECT at FROM seq_ranges WHERE gid = ? AND status = 'expired' AND lo = 1"), g.gid) : undefined;
  return {
    backedUp,
    ...(g.newestSeq !== undefined ? { newestSeq: g.newestSeq } : {}),
    ...(g.infoAt !== undefined ? { newestSeqAt: g.infoAt } : {}),
    ...(oldestMissing !== undefined ? { oldestMissing } : {}),
    ...(below ? { archivedBelowAt: Number(below[0]) * 1000 } : {}),
    ...(expired && foundAt ? { edge: { seq: expired.hi + 1, foundAt: Number(foundAt[0]) } } : {}),
  };
}
