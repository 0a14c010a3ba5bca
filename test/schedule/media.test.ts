// Media on the Overview, in the run history and in the pre-flight estimate, against the emulator's media on
// 127.0.0.1 and a real archive: a run's media counts as it recorded them, groups whose media failed or are about to
// expire undownloaded need attention, "retry what failed" covers failed media, and the media estimate is
// measured from each group's newest messages under the profile's media settings.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRows, arrayStatement } from '../../app/archive';
import { listGroups } from '../../app/engine/directory';
import { Pacer } from '../../app/engine/pacer';
import { retryTargets } from '../../app/engine/retry';
import { DAY } from '../../app/schedule/deadline';
import { estimateBackup, sampleNewest } from '../../app/schedule/estimate';
import { runHistory } from '../../app/schedule/history';
import { profileOverview } from '../../app/schedule/overview';
import { mediaFolder } from '../../app/media/model';
import { APP, policy, setup } from '../media/harness';

const SMALL = { maxBytes: 60_000, noUrlShare: 0 };
const HOUR = 3_600_000;
/** One try per item: a 503 fails it for this run. */
const GIVE_UP = { retry: { tries: 1, baseMs: 1, maxMs: 1 } };

/** What the media folder holds on disk, downloads in progress (tmp/) left out. */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (e.name === 'tmp') continue;
    total += e.isDirectory() ? await folderBytes(join(dir, e.name)) : (await stat(join(dir, e.name))).size;
  }
  return total;
}

const overviewAt = (archive: Parameters<typeof profileOverview>[0]['archive'], path: string, now: number) =>
  profileOverview({ archive, archivePath: path, sdkAppId: APP.sdkAppId, retentionDays: 7, now, timeZone: 'UTC' });

describe('media in the run history and on the Overview', () => {
  it('records a run’s failed media, marks the group, and "retry what failed" downloads them', async () => {
    const { emulator, archive, backup, path } = await setup([
      { groupId: 'pics', messages: 120, seed: 21, media: SMALL },
      // Its files are few contents sent many times: stored once each.
      { groupId: 'words', messages: 40, seed: 22, media: { ...SMALL, pool: 3 } },
    ]);
    // "words" first, with everything downloaded; then "pics" while Tencent's file servers answer 503.
    expect((await backup(['words'])).media!.failed).toBe(0);
    emulator.media.setFaults({ p5xx: 1 });
    const first = await backup(['pics'], GIVE_UP);
    // Messages all fetched: the run is ok, its media are not.
    expect(first.outcome).toBe('ok');
    expect(first.media!.failed).toBeGreaterThan(0);
    const pics = archive.groups().find((g) => g.groupId === 'pics')!;
    const failedRows = Number(allRows(arrayStatement(archive.db, "SELECT count(*) FROM media WHERE state = 'failed'"))[0]![0]);
    expect(failedRows).toBe(first.media!.failed);

    const [run] = runHistory(archive, { limit: 1 });
    expect(run!.media).toEqual({ stored: 0, storedBytes: 0, failed: first.media!.failed, expired: 0, tooLarge: 0, waiting: 0 });
    expect(run!.canRetry).toBe(true);
    expect(run!.description).toContain(`${first.media!.failed.toLocaleString('en-US')} failed: retry what failed`);
    expect(retryTargets(archive, first.runId)).toEqual([{ groupId: 'pics' }]);

    const now = Date.now();
    const o = await overviewAt(archive, path, now);
    const group = o.groups.find((g) => g.groupId === 'pics')!;
    expect(group.attention).toContain('media-failed');
    expect(group.media).toMatchObject({ failed: failedRows, waiting: failedRows });
    // A group whose media are all downloaded has none waiting and no media attention.
    const words = o.groups.find((g) => g.groupId === 'words')!;
    expect(words.media).toBeUndefined();
    expect(words.attention.filter((a) => a.startsWith('media'))).toEqual([]);
    expect(o.lastRun!.media!.failed).toBe(first.media!.failed);
    const wordsBytes = await folderBytes(mediaFolder(path));
    expect(wordsBytes).toBeGreaterThan(0);
    // Counted per file in the store, not per message that carries it.
    expect(archive.mediaCounts().stored.bytes).toBeGreaterThan(wordsBytes);
    expect(o.mediaBytes).toBe(wordsBytes);

    // The retry: a backup of the group whose media failed, which downloads them now that Tencent answers.
    emulator.media.setFaults({});
    const retry = await backup(retryTargets(archive, first.runId).map((t) => t.groupId), {}, { retryOf: first.runId });
    expect(retry.media!.stored).toBe(failedRows);
    expect(archive.mediaCounts(pics.gid).failed.items).toBe(0);
    const after = runHistory(archive, { limit: 2 });
    expect(after[0]!.retryOf).toBe(first.runId);
    expect(after[0]!.media).toMatchObject({ stored: failedRows, failed: 0 });
    expect(after[0]!.description).toMatch(/Media: [\d,]+ files stored \([\d.]+ [KM]B\)\./u);
    // Nothing left: the first run no longer offers a retry, and the group needs no attention for media.
    expect(after[1]!.canRetry).toBe(false);
    const o2 = await overviewAt(archive, path, now);
    expect(o2.groups.find((g) => g.groupId === 'pics')!.media).toBeUndefined();
    expect(o2.mediaBytes).toBe(await folderBytes(mediaFolder(path)));
    expect(o2.mediaBytes).toBeGreaterThan(wordsBytes);
  });

  it('warns of media that Tencent may delete within a day, undownloaded (by the oldest message carrying one)', async () => {
    const { archive, backup, path } = await setup([{ groupId: 'pics', messages: 60, seed: 23, media: SMALL }]);
    // Recorded, not downloaded: they wait.
    expect((await backup(['pics'], null)).outcome).toBe('ok');
    const oldest = Number(allRows(arrayStatement(archive.db, 'SELECT min(m.time) FROM messages m JOIN message_media mm ON mm.gid = m.gid AND mm.seq = m.seq'))[0]![0]) * 1000;
    const deleted = oldest + 7 * DAY;
    const soon = await overviewAt(archive, path, deleted - 2 * HOUR);
    const g = soon.groups[0]!;
    expect(g.media!.expiresAt).toBe(deleted);
    expect(g.attention).toContain('media-expiring');
    expect(g.attention).not.toContain('media-failed');
    const early = await overviewAt(archive, path, deleted - 2 * DAY);
    expect(early.groups[0]!.attention).not.toContain('media-expiring');
    // Media waiting is not a failure of the run.
    expect(runHistory(archive, { limit: 1 })[0]!.canRetry).toBe(false);
  });
});

describe('the media estimate before a first backup', () => {
  it('measures each group’s newest messages under the media settings; a group it sampled whole comes out exact', async () => {
    const { emulator, client, archive, backup } = await setup([
      { groupId: 'pics', messages: 20, seed: 24, media: SMALL },
      { groupId: 'words', messages: 30, seed: 25 },
    ]);
    const pacer = new Pacer({ rate: 200 });
    const listed = await listGroups({ api: client, pacer });
    const calls = emulator.counters().apis.group_msg_get_simple?.requests ?? 0;
    const samples = await sampleNewest(client, pacer, listed);
    // One call per group.
    expect((emulator.counters().apis.group_msg_get_simple?.requests ?? 0) - calls).toBe(2);
    const all = estimateBackup({ groups: listed, sdkAppId: APP.sdkAppId, rate: 100, media: policy(), samples });
    expect(all.media).toMatchObject({ sampledMessages: 40, mode: 'all' });
    expect(all.media!.sampledWithMedia).toBeGreaterThan(0);
    const thumbs = estimateBackup({ groups: listed, sdkAppId: APP.sdkAppId, rate: 100, media: policy({ mode: 'thumbnails' }), samples });
    expect(thumbs.media!.bytes).toBeGreaterThan(0);
    expect(thumbs.media!.bytes).toBeLessThan(all.media!.bytes);
    const none = estimateBackup({ groups: listed, sdkAppId: APP.sdkAppId, rate: 100, media: policy({ mode: 'none' }), samples });
    expect(none.media).toBeUndefined();
    // "pics" has 20 messages: the sample is all of it, so the estimate is what the backup then stores.
    const summary = await backup(['pics']);
    expect(summary.media!.failed + summary.media!.waiting).toBe(0);
    expect(all.perGroup.find((g) => g.groupId === 'pics')!.mediaBytes).toBe(archive.mediaCounts().stored.bytes);
  });

  it('scales a sample to the messages to fetch, and uses the other groups’ sample for a group that has none', async () => {
    const { client } = await setup([
      { groupId: 'pics', messages: 400, seed: 26, media: SMALL },
      { groupId: 'quiet', messages: 100, seed: 27, media: SMALL },
    ]);
    const pacer = new Pacer({ rate: 200 });
    const listed = await listGroups({ api: client, pacer });
    const samples = await sampleNewest(client, pacer, listed.filter((g) => g.groupId === 'pics'));
    const e = estimateBackup({ groups: listed, sdkAppId: APP.sdkAppId, rate: 100, media: policy(), samples });
    const perMessage = e.perGroup.find((g) => g.groupId === 'pics')!.mediaBytes! / 400;
    expect(perMessage).toBeGreaterThan(0);
    expect(e.perGroup.find((g) => g.groupId === 'quiet')!.mediaBytes).toBe(Math.round(perMessage * 100));
    expect(e.media!.bytes).toBe(e.perGroup.reduce((n, g) => n + g.mediaBytes!, 0));
    expect(e.media!.sampledMessages).toBe(20);
    // Files over the maximum are not downloaded: not counted either.
    const capped = estimateBackup({ groups: listed, sdkAppId: APP.sdkAppId, rate: 100, media: policy({ maxBytes: 1000 }), samples });
    expect(capped.media!.bytes).toBeLessThan(e.media!.bytes);
  });
});
