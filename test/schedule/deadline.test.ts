import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { Archive } from '../../app/archive';
import { DAY, checkRetentionDays, earliestDue, groupDeadline, groupFacts, RetentionError, safetyMargin } from '../../app/schedule/deadline';
import { tempDir, textMsg } from '../archive/helpers';

const NOW = Date.parse('2026-06-10T12:00:00Z');
const sec = (ms: number) => Math.floor(ms / 1000);
/** Messages 1..n, one a minute, the last `endsAgo` before NOW. */
const messages = (lo: number, hi: number, endsAt: number) => Array.from({ length: hi - lo + 1 }, (_, i) => textMsg(lo + i, `m${lo + i}`, { MsgTimeStamp: sec(endsAt) - (hi - lo - i) * 60 }));

let archive: Archive;
beforeEach(async () => {
  // Only Date is faked: the archive's commit timer keeps real time.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  archive = await Archive.open(join(await tempDir(), 'a.sqlite'), { create: true });
});
afterEach(async () => {
  await archive.close();
  vi.useRealTimers();
});

function group(groupId: string, newestSeq: number): number {
  return archive.upsertGroup({ sdkAppId: 1, groupId, info: { GroupId: groupId, ErrorCode: 0, ErrorInfo: '', NextMsgSeq: newestSeq + 1 }, newestSeq });
}
const deadlineOf = (gid: number, days = 7, now = NOW) => groupDeadline(groupFacts(archive, archive.groups().find((g) => g.gid === gid)!), days, now);

describe('deadlines from retention and what the archive measured', () => {
  it('a group never backed up is due now: its oldest messages may be expiring already', () => {
    const gid = group('new', 500);
    expect(deadlineOf(gid)).toEqual({ basis: 'never-backed-up', dueAt: NOW });
  });

  it('up to date: the next message can be no older than the moment a backup saw the newest one', () => {
    const run = archive.beginRun();
    const lastMessage = NOW - 3 * DAY;
    const gid = group('quiet', 40);
    archive.storeWindow(gid, 1, 40, messages(1, 40, lastMessage), run);
    // The backup looked at NOW (group info fetched then): anything newer was posted after it.
    expect(deadlineOf(gid)).toEqual({ basis: 'up-to-date', expiresAt: NOW + 7 * DAY, dueAt: NOW + 6 * DAY });
    expect(deadlineOf(gid, 90)).toMatchObject({ expiresAt: NOW + 90 * DAY, dueAt: NOW + 89 * DAY });
  });

  it('messages that could not be fetched: their deadline is that of the archived message just below them', () => {
    const run = archive.beginRun();
    const gid = group('gappy', 60);
    const t20 = NOW - 5 * DAY;
    archive.storeWindow(gid, 1, 20, messages(1, 20, t20), run);
    archive.markFailed(gid, 21, 40, run, 'HTTP 502 six times');
    archive.storeWindow(gid, 41, 60, messages(41, 60, NOW - DAY), run);
    const d = deadlineOf(gid);
    expect(d).toEqual({ basis: 'missing', oldestMissing: 21, expiresAt: sec(t20) * 1000 + 7 * DAY, dueAt: sec(t20) * 1000 + 6 * DAY });
    // Five days into a seven-day retention: it expires in two days, and the next backup is due in one.
    expect([d.expiresAt! - NOW, d.dueAt - NOW]).toEqual([2 * DAY, DAY]);
  });

  it('missing messages right above the retention edge expire as soon as the edge moves: due at once', () => {
    const edgeFound = NOW - 2 * DAY;
    vi.setSystemTime(edgeFound);
    const run = archive.beginRun();
    const gid = group('old', 200);
    archive.markExpired(gid, 1, 99, run);
    archive.markFailed(gid, 100, 119, run, 'timed out');
    archive.storeWindow(gid, 120, 200, messages(120, 200, edgeFound), run);
    vi.setSystemTime(NOW);
    // Seq 100 was alive two days ago with a seven-day retention: it may be older than five days now.
    expect(deadlineOf(gid)).toEqual({ basis: 'missing', oldestMissing: 100, expiresAt: edgeFound, dueAt: edgeFound - DAY });
    // Once the gap is filled, the group is up to date again.
    archive.storeWindow(gid, 100, 119, messages(100, 119, edgeFound - DAY), archive.beginRun());
    expect(deadlineOf(gid).basis).toBe('up-to-date');
  });

  it('a backup that never found where retention ends leaves the whole group urgent', () => {
    const run = archive.beginRun();
    const gid = group('unprobed', 100);
    archive.markFailed(gid, 1, 100, run, 'could not find where retention ends');
    expect(deadlineOf(gid)).toEqual({ basis: 'never-backed-up', dueAt: NOW });
    archive.storeWindow(gid, 81, 100, messages(81, 100, NOW), run);
    expect(deadlineOf(gid)).toEqual({ basis: 'missing', oldestMissing: 1, dueAt: NOW });
  });

  it('the safety margin is a day, or a quarter of a short retention; plans are whole days', () => {
    expect(safetyMargin(7 * DAY)).toBe(DAY);
    expect(safetyMargin(2 * DAY)).toBe(DAY / 2);
    expect(checkRetentionDays(30)).toBe(30);
    expect(() => checkRetentionDays(0)).toThrow(RetentionError);
    expect(() => checkRetentionDays(7.5)).toThrow(/whole number of days/);
    expect(earliestDue([{ basis: 'up-to-date', dueAt: 5 }, { basis: 'missing', dueAt: 3 }])).toBe(3);
    expect(earliestDue([])).toBeUndefined();
  });
});
