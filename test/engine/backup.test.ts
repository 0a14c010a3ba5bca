import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Archive, valueOf } from '../../app/archive';
import { runBackup, type BackupOptions } from '../../app/engine/backup';
import type { RunProgress } from '../../app/engine/progress';
import { Pacer } from '../../app/engine/pacer';
import { ImClient } from '../../app/im/client';
import { type AppSpec, type Emulator, type EmulatorOptions, startEmulator } from '../emulator';
import { expectExact, gidOf } from './truth';

const APP = { sdkAppId: 1400000101, secretKey: 'engine-test-secret-key', admins: ['administrator'] };
const FAST_RETRY = { maxAttempts: 8, baseMs: 5, capMs: 50, maxRateLimited: 1000 };

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(groups: AppSpec['groups'], emu: Partial<EmulatorOptions> = {}) {
  const emulator: Emulator = await startEmulator({ apps: [{ ...APP, groups }], ...emu });
  const dir = await mkdtemp(join(tmpdir(), 'tim-engine-'));
  const path = join(dir, 'archive.sqlite');
  const archive = await Archive.open(path, { create: true });
  const client = new ImClient({ endpoint: emulator.url, sdkAppId: APP.sdkAppId, identifier: APP.admins[0]!, secretKey: APP.secretKey });
  cleanups.push(() => emulator.close(), () => archive.close(), () => rm(dir, { recursive: true, force: true }));
  const backup = (targets: string[], extra: Partial<BackupOptions> = {}) =>
    runBackup({
      api: client,
      archive,
      sdkAppId: APP.sdkAppId,
      pacer: new Pacer({ rate: 200 }),
      targets: targets.map((groupId) => ({ groupId })),
      retry: FAST_RETRY,
      ...extra,
    });
  return { emulator, archive, client, backup, path };
}

describe('Community topics', () => {
  const COMM = '@TGS#_@TGS#cTOPICS';
  const T1 = `${COMM}@TOPIC#_general`;
  const T2 = `${COMM}@TOPIC#_公告`;

  it('backs up each topic of a Community group as its own stream, named after the topic, when the group is asked for', async () => {
    const { emulator, archive, backup } = await setup([
      { groupId: COMM, type: 'Community', messages: 60, seed: 31, topics: [T1, T2] },
      { groupId: '@TGS#_@TGS#cPLAIN', type: 'Community', messages: 30, seed: 32 },
    ]);
    emulator.group(APP.sdkAppId, COMM, T2).append(25);
    const summary = await backup([COMM, '@TGS#_@TGS#cPLAIN']);
    expect(summary.outcome, JSON.stringify(summary.groups)).toBe('ok');
    expect(summary.groups.map((g) => [g.groupId, g.topicId ?? '', g.state])).toEqual([
      [COMM, '', 'done'], ['@TGS#_@TGS#cPLAIN', '', 'done'], [COMM, T1, 'done'], [COMM, T2, 'done'],
    ]);
    expectExact(archive, COMM, emulator.group(APP.sdkAppId, COMM));
    expectExact(archive, COMM, emulator.group(APP.sdkAppId, COMM, T1), { topicId: T1 });
    expectExact(archive, COMM, emulator.group(APP.sdkAppId, COMM, T2), { topicId: T2 });
    const rows = archive.groups().filter((g) => g.groupId === COMM);
    expect(rows.map((g) => [g.topicId, g.name, g.newestSeq])).toEqual([
      ['', expect.any(String), 60], [T1, 'general', 60], [T2, '公告', 85],
    ]);
    // The group's own Seq space is not a topic's: a topic's top comes from get_topic.
    expect(summary.groups.find((g) => g.topicId === T2)!.top).toBe(85);
  });

  it('backs up only the topic asked for, and says so when a topic is gone', async () => {
    const { emulator, archive, backup } = await setup([{ groupId: COMM, type: 'Community', messages: 40, seed: 33, topics: [T1, T2] }]);
    const one = await backup([], { targets: [{ groupId: COMM, topicId: T2 }, { groupId: COMM, topicId: `${COMM}@TOPIC#_gone` }] });
    expect(one.groups.map((g) => [g.topicId, g.state])).toEqual([[T2, 'done'], [`${COMM}@TOPIC#_gone`, 'skipped']]);
    expect(one.groups[1]!.reason).toMatch(/no longer lists this topic/);
    expect(archive.groups().map((g) => g.topicId)).toEqual([T2]);
    expectExact(archive, COMM, emulator.group(APP.sdkAppId, COMM, T2), { topicId: T2 });
  });
});

describe('backup engine against the emulator', () => {
  it('archives every Seq exactly under faults: long messages, holes, recalls, deletions, system messages, a retention edge, a growing group', async () => {
    const { emulator, archive, backup } = await setup(
      [
        { groupId: 'long', messages: 900, seed: 1, longShare: 0.15, recalledShare: 0.05, deletedShare: 0.03, neverStoredShare: 0.02, systemShare: 0.05 },
        { groupId: 'edge', messages: 3000, seed: 2, retentionEdgeSeq: 2217, recalledShare: 0.02 },
        { groupId: 'edge-empty', messages: 1500, seed: 3, retentionEdgeSeq: 700, expiredAnswersEmpty: true },
        { groupId: 'grows', messages: 400, seed: 4 },
      ],
      { latencyMs: 3, jitterMs: 3, faults: { p10002: 0.04, p502: 0.03, pReset: 0.02, pTruncated: 0.03 }, growth: [{ groupId: 'grows', perSecond: 200 }] },
    );
    const summary = await backup(['long', 'edge', 'edge-empty', 'grows']);
    expect(summary.outcome, JSON.stringify(summary.groups)).toBe('ok');
    expect(summary.retries).toBeGreaterThan(0);

    for (const id of ['long', 'edge', 'edge-empty']) expectExact(archive, id, emulator.group(APP.sdkAppId, id));
    const grows = emulator.group(APP.sdkAppId, 'grows');
    const grownTop = summary.groups.find((g) => g.groupId === 'grows')!.top!;
    expect(grownTop).toBeGreaterThan(400);
    expectExact(archive, 'grows', grows, { top: grownTop });
    expect(archive.coverage(gidOf(archive, 'edge')).expired).toEqual([{ lo: 1, hi: expect.any(Number) }]);

    // Later: more talk, and moderators recall and delete messages the archive already holds.
    emulator.setFaults({});
    const long = emulator.group(APP.sdkAppId, 'long');
    const changed = new Set<number>();
    for (let seq = long.newestSeq - 30; seq <= long.newestSeq; seq += 7) {
      if (long.state(seq) !== 'normal') continue;
      if (seq % 2) long.recall(seq);
      else long.remove(seq);
      changed.add(seq);
    }
    long.append(55);
    const again = await backup(['long', 'grows'], { growthRounds: 0 });
    expect(again.outcome).toBe('ok');
    expectExact(archive, 'long', long, { keptOriginals: changed });
    const newTop = again.groups.find((g) => g.groupId === 'grows')!.top!;
    expectExact(archive, 'grows', grows, { top: newTop });
    const gid = gidOf(archive, 'long');
    const recorded = valueOf(archive.db, 'SELECT COUNT(*) FROM message_changes WHERE gid = ?', gid);
    expect(recorded).toBe(changed.size);
  });

  it('fetches only what is new on an incremental run, and re-reads a short look-back', async () => {
    const { emulator, backup } = await setup([{ groupId: 'g', messages: 2000, seed: 5 }]);
    await backup(['g']);
    emulator.group(APP.sdkAppId, 'g').append(40);
    emulator.resetCounters();
    const summary = await backup(['g'], { lookback: 100 });
    expect(summary.messagesStored).toBe(40);
    // 40 new Seqs and 100 of look-back are 7 windows; plus group info. Nowhere near the 102 of a full pass.
    expect(summary.requests).toBeLessThanOrEqual(10);
  });

  it('finds a far retention edge in O(log n) requests instead of crawling placeholders', async () => {
    const { backup } = await setup([{ groupId: 'old', messages: 400_000, seed: 6, retentionEdgeSeq: 399_001 }]);
    const summary = await backup(['old']);
    expect(summary.outcome).toBe('ok');
    const g = summary.groups[0]!;
    expect(g.edge).toBeGreaterThan(398_900);
    expect(g.edge).toBeLessThanOrEqual(399_001);
    // 1,000 live Seqs are 50 windows; finding the edge among 20,000 windows must cost a few dozen more at most.
    expect(summary.requests).toBeLessThan(50 + 60);
  });

  it('never answers 60007 at the default pace, and completes exactly when Tencent allows less than we ask', async () => {
    const strict = await setup([{ groupId: 'busy', messages: 4000, seed: 7 }], { latencyMs: 2, jitterMs: 2 });
    const ok = await strict.backup(['busy'], { pacer: new Pacer() });
    expect(ok.outcome).toBe('ok');
    expect(ok.rateLimited).toBe(0);
    expect(strict.emulator.counters().apis['group_msg_get_simple']?.codes['60007'] ?? 0).toBe(0);

    const tight = await setup([{ groupId: 'busy', messages: 3000, seed: 8 }], {});
    await tight.emulator.close();
    const limited = await startEmulator({ apps: [{ ...APP, rateLimits: { group_msg_get_simple: 60 }, groups: [{ groupId: 'busy', messages: 3000, seed: 8 }] }] });
    cleanups.push(() => limited.close());
    const archive = tight.archive;
    const client = new ImClient({ endpoint: limited.url, sdkAppId: APP.sdkAppId, identifier: APP.admins[0]!, secretKey: APP.secretKey });
    const summary = await runBackup({ api: client, archive, sdkAppId: APP.sdkAppId, pacer: new Pacer({ rate: 200 }), targets: [{ groupId: 'busy' }], retry: FAST_RETRY });
    expect(summary.outcome).toBe('ok');
    expect(summary.rateLimited).toBeGreaterThan(0);
    expectExact(archive, 'busy', limited.group(APP.sdkAppId, 'busy'));
  });

  it('skips groups that cannot be backed up, says why, and goes on with the others', async () => {
    const { backup } = await setup([
      { groupId: 'fine', messages: 50, seed: 9 },
      { groupId: 'live', type: 'AVChatRoom', messages: 10, seed: 10 },
    ]);
    const summary = await backup(['fine', 'live', 'no-such-group', '']);
    expect(summary.outcome).toBe('partial');
    const by = Object.fromEntries(summary.groups.map((g) => [g.groupId, g]));
    expect(by['fine']!.state).toBe('done');
    expect(by['live']!.state).toBe('skipped');
    expect(by['live']!.reason).toMatch(/AVChatRoom.*no message history/);
    expect(by['no-such-group']!.state).toBe('skipped');
    expect(by['no-such-group']!.reason).toMatch(/not exist|dismissed/i);
    expect(by['']!.state).toBe('skipped');
  });

  it('records a window that keeps failing instead of skipping it silently, and a later run fills it', async () => {
    const { emulator, archive, client, backup } = await setup([{ groupId: 'flaky', messages: 200, seed: 11 }]);
    // Tencent answers the group's information and the history requests until one is answered after it (the
    // first window may travel with get_group_info), then every request fails with 502.
    let infoAnswered = false;
    const api = {
      getGroupMemberInfo: client.getGroupMemberInfo.bind(client),
      portraitGet: client.portraitGet.bind(client),
      getGroupInfo: async (ids: string[]) => {
        const infos = await client.getGroupInfo(ids);
        infoAnswered = true;
        return infos;
      },
      getTopic: (groupId: string) => client.getTopic(groupId),
      groupMsgGetSimple: async (req: Parameters<typeof client.groupMsgGetSimple>[0]) => {
        const answer = await client.groupMsgGetSimple(req);
        if (infoAnswered) emulator.setFaults({ p502: 1 });
        return answer;
      },
    };
    const summary = await backup(['flaky'], { api, retry: { ...FAST_RETRY, maxAttempts: 2 } });
    expect(summary.outcome).toBe('partial');
    // Once retrying stopped, the reason says so, and no longer that the request is tried again.
    expect(summary.groups[0]!.reason).toMatch(/HTTP 502\. This is usually temporary\. Gave up after 2 attempts\.$/u);
    expect(summary.groups[0]!.reason).not.toContain('tried again');
    expect(summary.windowsFailed).toBeGreaterThan(0);
    expect(summary.groups[0]!.failedRanges.length).toBeGreaterThan(0);
    emulator.setFaults({});
    const retry = await backup(['flaky']);
    expect(retry.outcome).toBe('ok');
    expectExact(archive, 'flaky', emulator.group(APP.sdkAppId, 'flaky'));
  });

  it('reports throttled progress and can be cancelled, then resumes exactly', async () => {
    const { emulator, archive, backup } = await setup(
      [{ groupId: 'big', messages: 6000, seed: 12 }, { groupId: 'old', messages: 3000, seed: 14, retentionEdgeSeq: 1500 }],
      { latencyMs: 20, jitterMs: 10 },
    );
    const events: RunProgress[] = [];
    const abort = new AbortController();
    const first = await backup(['big', 'old'], {
      pacer: new Pacer({ rate: 100 }),
      signal: abort.signal,
      onProgress: (p) => {
        events.push(p);
        if (p.windowsDone >= 60) abort.abort(new Error('user cancelled'));
      },
    });
    expect(first.outcome).toBe('cancelled');
    // Cancel tells the truth: a group with windows left unread is stopped, never done, and the groups' counts
    // (the retention search's stores included) add up to the run's.
    expect(first.groups.map((g) => g.state)).toEqual(['stopped', 'stopped']);
    expect(first.groups.reduce((n, g) => n + g.messagesStored, 0)).toBe(first.messagesStored);
    // Answers still on their way when the run stopped change nothing after its final commit.
    const changesAtEnd = valueOf(archive.db, 'SELECT total_changes()');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(archive.dirty).toBe(false);
    expect(valueOf(archive.db, 'SELECT total_changes()')).toBe(changesAtEnd);
    expect(events.length).toBeGreaterThan(2);
    const spanSeconds = (events.at(-1)!.elapsedMs - events[0]!.elapsedMs) / 1000;
    expect(events.length).toBeLessThanOrEqual(Math.ceil(spanSeconds * 10) + 8);
    const last = events.at(-1)!;
    expect(last.groups[0]!.top).toBe(6000);
    expect(last.requestsPerSecond).toBeGreaterThan(0);
    const done = await backup(['big', 'old']);
    expect(done.outcome).toBe('ok');
    expect(done.groups.map((g) => g.state)).toEqual(['done', 'done']);
    expect(done.groups.reduce((n, g) => n + g.messagesStored, 0)).toBe(done.messagesStored);
    expectExact(archive, 'big', emulator.group(APP.sdkAppId, 'big'));
    expectExact(archive, 'old', emulator.group(APP.sdkAppId, 'old'));
  });

  it('stops the whole run on wrong credentials before touching the archive', async () => {
    const { emulator, archive } = await setup([{ groupId: 'g', messages: 30, seed: 13 }]);
    const wrong = new ImClient({ endpoint: emulator.url, sdkAppId: APP.sdkAppId, identifier: APP.admins[0]!, secretKey: 'not-the-key' });
    // Opening wrote (and committed) its own bookkeeping; the run must write nothing at all, committed or not.
    const changesBefore = valueOf(archive.db, 'SELECT total_changes()');
    await expect(runBackup({ api: wrong, archive, sdkAppId: APP.sdkAppId, pacer: new Pacer(), targets: [{ groupId: 'g' }], retry: FAST_RETRY })).rejects.toThrow(/key/i);
    expect(archive.dirty).toBe(false);
    expect(valueOf(archive.db, 'SELECT total_changes()')).toBe(changesBefore);
    expect(archive.groups()).toEqual([]);
  });
});
