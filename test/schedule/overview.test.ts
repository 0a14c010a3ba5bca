import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Archive } from '../../app/archive';
import { DAY } from '../../app/schedule/deadline';
import { profileDue, profileOverview } from '../../app/schedule/overview';
import { HOUR } from '../../app/schedule/schedule';
import { tempDir, textMsg } from '../archive/helpers';

const NOW = Date.parse('2026-06-10T12:00:00Z');
const GONE = 'This group does not exist or was dismissed (10010). It is skipped.';

let dir: string;
let archive: Archive;
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  dir = await tempDir();
  archive = await Archive.open(join(dir, 'a.sqlite'), { create: true });
});
afterEach(async () => {
  await archive.close();
  vi.useRealTimers();
});

function backUp(groupId: string, at: number): number {
  vi.setSystemTime(at);
  const run = archive.beginRun({ trigger: 'scheduled' });
  const gid = archive.upsertGroup({ sdkAppId: 1, groupId, info: { GroupId: groupId, ErrorCode: 0, ErrorInfo: '', NextMsgSeq: 21 }, newestSeq: 20 });
  archive.storeWindow(gid, 1, 20, Array.from({ length: 20 }, (_, i) => textMsg(i + 1, 'hi', { MsgTimeStamp: Math.floor(at / 1000) - 60 })), run);
  archive.finishRun(run, 'ok', { groups: [{ groupId, state: 'done' }] }, [{ gid, state: 'done', newMessages: 20, failedSeqs: 0 }]);
  return gid;
}

describe('a profile at a glance', () => {
  it('a group the last backup skipped (gone at Tencent) needs attention but does not make every backup due', async () => {
    backUp('gone', NOW - 10 * DAY);
    // The latest backup saw "alive" and was told "gone" no longer exists.
    vi.setSystemTime(NOW - HOUR);
    const run = archive.beginRun({ trigger: 'scheduled' });
    const alive = archive.upsertGroup({ sdkAppId: 1, groupId: 'alive', info: { GroupId: 'alive', ErrorCode: 0, ErrorInfo: '', NextMsgSeq: 2 }, newestSeq: 1 });
    archive.storeWindow(alive, 1, 1, [textMsg(1, 'x', { MsgTimeStamp: Math.floor(NOW / 1000) - 3600 })], run);
    archive.finishRun(run, 'partial', { groups: [{ groupId: 'alive', state: 'done' }, { groupId: 'gone', state: 'skipped', reason: GONE }] }, [
      { gid: alive, state: 'done', newMessages: 1, failedSeqs: 0 },
    ]);
    vi.setSystemTime(NOW);

    const overview = await profileOverview({ archive, archivePath: archive.path, sdkAppId: 1, schedule: { kind: 'interval', hours: 240 }, retentionDays: 7, now: NOW, timeZone: 'UTC' });
    expect(overview.lastRun).toMatchObject({ runId: run, outcome: 'partial', trigger: 'scheduled' });
    expect(overview.groups.map((g) => [g.groupId, g.attention, g.skippedReason])).toEqual([
      ['gone', ['failed', 'expiring-soon'], GONE],
      ['alive', [], undefined],
    ]);
    const aliveDue = overview.groups[1]!.deadline.dueAt;
    expect(overview.dueAt).toBe(aliveDue);
    // The deadline (six days after the backup looked) comes before the 240-hour schedule.
    expect(overview.nextRun).toEqual({ at: aliveDue, reason: 'deadline' });
    expect(overview.archiveBytes).toBeGreaterThan(0);
    expect(profileDue('p', archive, 1, { kind: 'interval', hours: 240 }, 7, NOW)).toEqual({
      profile: 'p',
      schedule: { kind: 'interval', hours: 240 },
      lastStartedAt: NOW - HOUR,
      deadlineDueAt: aliveDue,
    });
  });

  it('a profile with no archive yet: nothing archived, due at once, free disk where the archive will go', async () => {
    const overview = await profileOverview({ archive: undefined, archivePath: join(dir, 'not', 'yet', 'b.sqlite'), sdkAppId: 1, schedule: { kind: 'daily', at: '03:00' }, now: NOW, timeZone: 'Asia/Shanghai' });
    expect(overview).toMatchObject({ retentionDays: 7, groups: [], nextRun: { at: NOW, reason: 'first-backup' } });
    expect(overview.archiveBytes).toBeUndefined();
    expect(overview.freeDiskBytes).toBeGreaterThan(0);
    expect(profileDue('p', undefined, 1, undefined, undefined, NOW)).toEqual({ profile: 'p' });
  });
});
