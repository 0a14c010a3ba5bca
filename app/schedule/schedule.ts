// A profile's schedule and when its next backup is due. Pure functions of the facts and the clock: the
// Scheduler (./scheduler.ts) and the Overview ask the same question and get the same answer.

import type { DueFacts, NextRun, Schedule } from './types';
import { addDays, instantOf, wallTimeAt } from './zoned';

export type { DueFacts, DueReason, NextRun, Schedule } from './types';

export const HOUR = 3_600_000;
export const MAX_INTERVAL_HOURS = 24 * 30;
/**
 * After a backup that did not settle a deadline (failed, gaps, no network), the deadline asks for the next one no
 * sooner than this: soon enough to catch up before messages expire, without hammering Tencent or a dead network.
 */
export const DEADLINE_RETRY_MS = HOUR;

export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

/** Checks a schedule from settings or the command line; returns it unchanged. */
export function checkSchedule(s: Schedule): Schedule {
  if (s.kind === 'interval') {
    if (!Number.isInteger(s.hours) || s.hours < 1 || s.hours > MAX_INTERVAL_HOURS) {
      throw new ScheduleError(`A backup every N hours needs a whole number of hours from 1 to ${MAX_INTERVAL_HOURS} (got ${s.hours}).`);
    }
    return s;
  }
  if (s.kind === 'daily') {
    dailyTime(s.at);
    return s;
  }
  throw new ScheduleError('A schedule is either every N hours or daily at a time.');
}

/** "HH:MM" on a 24-hour clock. */
export const DAILY_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

function dailyTime(at: string): { hour: number; minute: number } {
  const m = DAILY_TIME.exec(at);
  if (!m) throw new ScheduleError(`A daily backup time is HH:MM on a 24-hour clock, such as 02:30 (got "${at}").`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** The first moment the schedule asks for a backup strictly after `after`, with daily times read in `timeZone`. */
export function nextSlotAfter(s: Schedule, after: number, timeZone: string): number {
  if (s.kind === 'interval') return after + s.hours * HOUR;
  const { hour, minute } = dailyTime(s.at);
  const today = wallTimeAt(after, timeZone);
  // Today's slot may be past; tomorrow's may fall in a skipped hour and still be after `after`: three days suffice.
  for (let k = 0; ; k++) {
    const slot = instantOf({ ...addDays(today, k), hour, minute }, timeZone);
    if (slot > after) return slot;
  }
}

/**
 * When the next scheduled backup should start; undefined when the profile has no schedule. A profile never
 * backed up is due at once (its oldest messages at Tencent may be expiring already). Otherwise the first slot
 * after the last backup's start — which is how a missed one is caught up: its slot is simply in the past — or
 * earlier, when a group's deadline needs it.
 */
export function nextRun(facts: DueFacts, now: number, timeZone: string): NextRun | undefined {
  if (!facts.schedule) return undefined;
  if (facts.lastStartedAt === undefined) return { at: now, reason: 'first-backup' };
  const slot = nextSlotAfter(facts.schedule, facts.lastStartedAt, timeZone);
  if (facts.deadlineDueAt !== undefined) {
    const byDeadline = Math.max(facts.deadlineDueAt, facts.lastStartedAt + DEADLINE_RETRY_MS);
    if (byDeadline < slot) return { at: byDeadline, reason: 'deadline' };
  }
  return { at: slot, reason: 'schedule' };
}
