import { describe, expect, it } from 'vitest';
import { DEADLINE_RETRY_MS, HOUR, nextRun, nextSlotAfter, type Schedule, ScheduleError, checkSchedule } from '../../app/schedule/schedule';
import { instantOf, wallTimeAt } from '../../app/schedule/zoned';

const at = (iso: string) => Date.parse(iso);
const daily = (time: string): Schedule => ({ kind: 'daily', at: time });

describe('due times', () => {
  it('every N hours counts from the last backup’s start, whatever the time zone', () => {
    const every6: Schedule = { kind: 'interval', hours: 6 };
    expect(nextSlotAfter(every6, at('2026-03-08T05:00:00Z'), 'America/New_York')).toBe(at('2026-03-08T11:00:00Z'));
    expect(nextSlotAfter(every6, at('2026-03-08T05:00:00Z'), 'Asia/Shanghai')).toBe(at('2026-03-08T11:00:00Z'));
  });

  it('daily at a local time: later today, or tomorrow once today’s has passed', () => {
    // 08:00 in Shanghai is 00:00 UTC.
    expect(nextSlotAfter(daily('09:30'), at('2026-06-01T00:00:00Z'), 'Asia/Shanghai')).toBe(at('2026-06-01T01:30:00Z'));
    expect(nextSlotAfter(daily('09:30'), at('2026-06-01T01:30:00Z'), 'Asia/Shanghai')).toBe(at('2026-06-02T01:30:00Z'));
    // Across a month and a year end.
    expect(nextSlotAfter(daily('00:15'), at('2026-12-31T23:00:00Z'), 'UTC')).toBe(at('2026-12-31T00:15:00Z') + 24 * HOUR);
  });

  it('a profile never backed up is due at once; then the first slot after the last start', () => {
    const now = at('2026-06-01T12:00:00Z');
    expect(nextRun({ schedule: daily('02:00') }, now, 'UTC')).toEqual({ at: now, reason: 'first-backup' });
    expect(nextRun({ schedule: daily('02:00'), lastStartedAt: at('2026-06-01T02:00:00Z') }, now, 'UTC')).toEqual({ at: at('2026-06-02T02:00:00Z'), reason: 'schedule' });
    expect(nextRun({ lastStartedAt: now }, now, 'UTC')).toBeUndefined();
  });

  it('a backup missed while asleep or closed is due at once (its slot lies in the past), and only once', () => {
    const lastStart = at('2026-06-01T02:00:00Z');
    const now = at('2026-06-05T08:00:00Z'); // three 02:00 slots were missed
    const next = nextRun({ schedule: daily('02:00'), lastStartedAt: lastStart }, now, 'UTC')!;
    expect(next.at).toBeLessThanOrEqual(now);
    // After the catch-up run starts, the next one is the next regular slot, not the other missed ones.
    expect(nextRun({ schedule: daily('02:00'), lastStartedAt: now }, now, 'UTC')!.at).toBe(at('2026-06-06T02:00:00Z'));
  });

  it('a deadline brings the next backup forward, and after a backup that did not settle it waits an hour', () => {
    const lastStart = at('2026-06-01T00:00:00Z');
    const schedule: Schedule = { kind: 'interval', hours: 240 };
    const due = at('2026-06-03T00:00:00Z');
    expect(nextRun({ schedule, lastStartedAt: lastStart, deadlineDueAt: due }, lastStart, 'UTC')).toEqual({ at: due, reason: 'deadline' });
    // Overdue deadline (the last backup failed): retried an hour after it, not in a loop.
    expect(nextRun({ schedule, lastStartedAt: lastStart, deadlineDueAt: lastStart - HOUR }, lastStart, 'UTC')).toEqual({ at: lastStart + DEADLINE_RETRY_MS, reason: 'deadline' });
    // A deadline later than the schedule changes nothing.
    expect(nextRun({ schedule, lastStartedAt: lastStart, deadlineDueAt: lastStart + 300 * HOUR }, lastStart, 'UTC')!.reason).toBe('schedule');
  });

  it('refuses schedules that make no sense, in plain words', () => {
    expect(() => checkSchedule({ kind: 'interval', hours: 0 })).toThrow(ScheduleError);
    expect(() => checkSchedule({ kind: 'interval', hours: 1.5 })).toThrow(/whole number of hours/);
    expect(() => checkSchedule(daily('24:00'))).toThrow(/HH:MM/);
    expect(() => checkSchedule(daily('7:00'))).toThrow(/02:30/);
    expect(checkSchedule(daily('23:59'))).toEqual(daily('23:59'));
  });
});

describe('daylight saving and time-zone changes', () => {
  it('spring forward: a time the clocks skip runs an hour later that night, then as usual', () => {
    // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist that night.
    const nightBefore = at('2026-03-07T07:30:00Z'); // 02:30 EST on the 7th
    const skipped = nextSlotAfter(daily('02:30'), nightBefore, 'America/New_York');
    expect(skipped).toBe(at('2026-03-08T07:30:00Z')); // 03:30 EDT
    expect(wallTimeAt(skipped, 'America/New_York')).toMatchObject({ day: 8, hour: 3, minute: 30 });
    expect(nextSlotAfter(daily('02:30'), skipped, 'America/New_York')).toBe(at('2026-03-09T06:30:00Z')); // 02:30 EDT
    // 23 hours between the two runs, not a day missed or doubled.
    expect(nextSlotAfter(daily('04:00'), at('2026-03-07T09:00:00Z'), 'America/New_York') - at('2026-03-07T09:00:00Z')).toBe(23 * HOUR);
  });

  it('fall back: a time the clocks repeat runs once, at its first occurrence', () => {
    // New York, 2026-11-01: 02:00 EDT goes back to 01:00 EST; 01:30 happens twice (05:30Z and 06:30Z).
    const first = nextSlotAfter(daily('01:30'), at('2026-10-31T06:00:00Z'), 'America/New_York');
    expect(first).toBe(at('2026-11-01T05:30:00Z'));
    expect(nextSlotAfter(daily('01:30'), first, 'America/New_York')).toBe(at('2026-11-02T06:30:00Z'));
  });

  it('Europe and the southern hemisphere change on their own dates', () => {
    // Berlin springs forward on 2026-03-29 (02:00 → 03:00 CEST).
    expect(instantOf({ year: 2026, month: 3, day: 29, hour: 2, minute: 15 }, 'Europe/Berlin')).toBe(at('2026-03-29T01:15:00Z')); // 03:15 CEST
    expect(instantOf({ year: 2026, month: 3, day: 28, hour: 2, minute: 15 }, 'Europe/Berlin')).toBe(at('2026-03-28T01:15:00Z')); // 02:15 CET
    // Sydney falls back on 2026-04-05 (03:00 AEDT → 02:00 AEST): 02:30 twice, the first at 15:30Z.
    expect(instantOf({ year: 2026, month: 4, day: 5, hour: 2, minute: 30 }, 'Australia/Sydney')).toBe(at('2026-04-04T15:30:00Z'));
    // Shanghai has no daylight saving: the same UTC time every day of the year.
    for (const d of ['2026-01-15', '2026-07-15']) expect(instantOf({ ...wall(d), hour: 9, minute: 0 }, 'Asia/Shanghai')).toBe(at(`${d}T01:00:00Z`));
  });

  it('after a move to another time zone, a daily time is read on the new local clock', () => {
    const schedule = daily('09:00');
    // The last backup ran at 09:00 in Shanghai (01:00Z); the person then flies to London (BST, UTC+1).
    const lastStart = at('2026-06-01T01:00:00Z');
    expect(nextRun({ schedule, lastStartedAt: lastStart }, lastStart + HOUR, 'Asia/Shanghai')!.at).toBe(at('2026-06-02T01:00:00Z'));
    expect(nextRun({ schedule, lastStartedAt: lastStart }, lastStart + HOUR, 'Europe/London')!.at).toBe(at('2026-06-01T08:00:00Z'));
    // Flying east instead (Tokyo, UTC+9): 09:00 Tokyo that day had already passed at 10:00 Tokyo; the next is tomorrow.
    expect(nextRun({ schedule, lastStartedAt: lastStart }, lastStart + HOUR, 'Asia/Tokyo')!.at).toBe(at('2026-06-02T00:00:00Z'));
  });
});

function wall(date: string) {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}
