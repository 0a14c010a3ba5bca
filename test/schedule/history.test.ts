import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { Archive } from '../../app/archive';
import { MIGRATIONS, migrate } from '../../app/archive/schema';
import { runBackup } from '../../app/engine/backup';
import type { BackupApi } from '../../app/engine/context';
import { Pacer } from '../../app/engine/pacer';
import { NoSuchRun, retryTargets } from '../../app/engine/retry';
import { ImClient } from '../../app/im/client';
import { ImError } from '../../app/im/errors';
import { describeRun, runHistory } from '../../app/schedule/history';
import { startEmulator } from '../emulator';
import { textMsg } from '../archive/helpers';

const APP = { sdkAppId: 1400000131, secretKey: 'history-test-secret-key', admins: ['administrator'] };
const ONE_TRY = { maxAttempts: 1, baseMs: 1, capMs: 1, maxRateLimited: 1000 };

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function tempArchivePath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tim-history-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'archive.sqlite');
}

/** The emulator's client, except that Seqs `failing` of group `flaky` answer HTTP 502 while `broken` is set. */
function flakyApi(client: ImClient, failing: { lo: number; hi: number }, state: { broken: boolean }): BackupApi {
  return {
    getGroupInfo: (ids) => client.getGroupInfo(ids),
    getTopic: (groupId) => client.getTopic(groupId),
    getGroupMemberInfo: (req) => client.getGroupMemberInfo(req),
    portraitGet: (accounts, tags) => client.portraitGet(accounts, tags),
    groupMsgGetSimple: (req) => {
      const top = req.ReqMsgSeq ?? Number.MAX_SAFE_INTEGER;
      if (state.broken && req.GroupId === 'flaky' && top >= failing.lo && top - 19 <= failing.hi) {
        return Promise.reject(ImError.http(502, 'v4/group_open_http_svc/group_msg_get_simple'));
      }
      return client.groupMsgGetSimple(req);
    },
  };
}

describe('run history', () => {
  it('records trigger, outcome and each group’s part; "retry what failed" targets exactly the unfinished groups', async () => {
    const emulator = await startEmulator({ apps: [{ ...APP, groups: [{ groupId: 'steady', messages: 300, seed: 5 }, { groupId: 'flaky', messages: 400, seed: 6 }] }] });
    cleanups.push(() => emulator.close());
    const archive = await Archive.open(await tempArchivePath(), { create: true });
    cleanups.push(() => archive.close());
    const client = new ImClient({ endpoint: emulator.url, sdkAppId: APP.sdkAppId, identifier: APP.admins[0]!, secretKey: APP.secretKey });
    const network = { broken: true };
    const api = flakyApi(client, { lo: 201, hi: 240 }, network);
    const backup = (targets: string[], extra: { trigger?: 'manual' | 'scheduled' | 'cli'; retryOf?: number } = {}) =>
      runBackup({ api, archive, sdkAppId: APP.sdkAppId, pacer: new Pacer({ rate: 200 }), targets: targets.map((groupId) => ({ groupId })), retry: ONE_TRY, ...extra });

    const first = await backup(['steady', 'flaky'], { trigger: 'scheduled' });
    expect(first.outcome).toBe('partial');
    const [entry] = runHistory(archive);
    expect(entry).toMatchObject({
      runId: first.runId,
      trigger: 'scheduled',
      outcome: 'partial',
      newMessages: first.messagesStored,
      failedMessages: 40,
      canRetry: true,
    });
    expect(entry!.durationMs).toBeGreaterThanOrEqual(0);
    expect(entry!.groups.map((g) => [g.groupId, g.state, g.failedMessages])).toEqual([
      ['steady', 'done', 0],
      ['flaky', 'partial', 40],
    ]);
    expect(entry!.description).toMatch(/^Finished with gaps: [\d,]+ new messages\. 40 messages in 1 group could not be fetched: back up again, or retry what failed, to fetch them\.$/);
    expect(entry!.description).not.toMatch(/window|Seq/);
    expect(retryTargets(archive, first.runId)).toEqual([{ groupId: 'flaky' }]);

    // The retry backs up only the group that failed, and records what it retried.
    network.broken = false;
    const retry = await backup(retryTargets(archive, first.runId).map((t) => t.groupId), { trigger: 'manual', retryOf: first.runId });
    expect(retry.outcome).toBe('ok');
    expect(retry.groups.map((g) => g.groupId)).toEqual(['flaky']);
    const [again, before] = runHistory(archive);
    expect(again).toMatchObject({ runId: retry.runId, trigger: 'manual', retryOf: first.runId, outcome: 'ok', failedMessages: 0, canRetry: false });
    expect(again!.description).toMatch(/^Backed up 1 group: [\d,]+ new messages\.$/);
    // Nothing is left to retry of the first run now.
    expect(before).toMatchObject({ runId: first.runId, canRetry: false });
    expect(retryTargets(archive, first.runId)).toEqual([]);
    // Each group's last run.
    const last = archive.lastRunOfGroups();
    const gid = (id: string) => archive.groups().find((g) => g.groupId === id)!.gid;
    expect(last.get(gid('flaky'))).toMatchObject({ runId: retry.runId, state: 'done', outcome: 'ok' });
    expect(last.get(gid('steady'))).toMatchObject({ runId: first.runId, state: 'done', outcome: 'partial' });
    expect(runHistory(archive, { limit: 1, before: retry.runId }).map((r) => r.runId)).toEqual([first.runId]);
    expect(() => retryTargets(archive, 999)).toThrow(NoSuchRun);
  });

  it('an interrupted run reads as failed in plain words; a damaged summary does not break the history', async () => {
    const path = await tempArchivePath();
    const a = await Archive.open(path, { create: true });
    const gid = a.upsertGroup({ sdkAppId: 1, groupId: 'g', newestSeq: 20 });
    const run = a.beginRun({ trigger: 'cli' });
    a.storeWindow(gid, 1, 10, Array.from({ length: 10 }, (_, i) => textMsg(i + 1, 'hi')), run);
    await a.close(); // as if killed: the run never finished
    const b = await Archive.open(path);
    cleanups.push(() => b.close());
    const [entry] = runHistory(b);
    expect(entry).toMatchObject({ runId: run, trigger: 'cli', outcome: 'failed' });
    expect(entry!.description).toBe('Failed: The run was interrupted: the program stopped before the run finished.');
    b.finishRun(b.beginRun(), 'ok', undefined);
    expect(runHistory(b)[0]!.description).toBe('Backed up 0 groups: 0 new messages.');
  });

  it('says in plain words why a run finished with gaps or failed, without engine words', () => {
    const base = { runId: 7, startedAt: 0, outcome: 'partial' as const, newMessages: 1234, requests: 90, retries: 2, failedMessages: 0 };
    const text = describeRun({
      ...base,
      groups: [
        { groupId: 'a', name: '产品讨论群', state: 'partial', newMessages: 1000, failedMessages: 0, reason: 'Tencent did not answer in time' },
        { groupId: 'live', state: 'skipped', newMessages: 0, failedMessages: 0, reason: 'AVChatRoom groups keep no message history at Tencent, so there is nothing to back up.' },
      ],
    });
    expect(text).toBe('Finished with gaps: 1,234 new messages. 产品讨论群: Tencent did not answer in time. Skipped live: AVChatRoom groups keep no message history at Tencent, so there is nothing to back up.');
    expect(describeRun({ ...base, outcome: 'failed', newMessages: 1, groups: [], error: 'Tencent refused the SecretKey' })).toBe('Failed: Tencent refused the SecretKey. 1 new message was saved before it stopped.');
  });

  it('the run-history migration (5) reads each group’s part back from the summaries of runs recorded before it', () => {
    const db = new DatabaseSync(':memory:');
    // Every migration before the run history's, whatever its number.
    const runHistoryMigration = MIGRATIONS.findIndex((m) => m.name.startsWith('run history'));
    expect(runHistoryMigration).toBe(5);
    migrate(db, MIGRATIONS.slice(0, runHistoryMigration));
    db.exec(`
      INSERT INTO groups (gid, sdkappid, group_id, topic_id) VALUES (1, 1, 'a', ''), (2, 1, 'b', 'topic');
      INSERT INTO runs (run_id, started_at, finished_at, outcome, summary) VALUES
        (1, 1000, 2000, 'partial', '${JSON.stringify({ groups: [
          { groupId: 'a', state: 'done', messagesStored: 12, failedRanges: [] },
          { groupId: 'b', topicId: 'topic', state: 'partial', messagesStored: 3, failedRanges: [{ lo: 1, hi: 20 }, { lo: 41, hi: 45 }], reason: 'Some messages could not be fetched' },
          { groupId: 'gone', state: 'skipped', reason: 'unknown group' },
        ] })}'),
        (2, 3000, NULL, 'failed', 'not json'),
        (3, 4000, 5000, 'ok', NULL);
    `);
    migrate(db);
    const rows = db.prepare('SELECT gid, run_id, state, new_messages, failed_seqs, reason FROM run_groups ORDER BY gid').all();
    expect(rows.map((r) => ({ ...r }))).toEqual([
      { gid: 1, run_id: 1, state: 'done', new_messages: 12, failed_seqs: 0, reason: null },
      { gid: 2, run_id: 1, state: 'partial', new_messages: 3, failed_seqs: 25, reason: 'Some messages could not be fetched' },
    ]);
    expect(db.prepare('SELECT trigger, retry_of FROM runs WHERE run_id = 3').get()).toEqual({ trigger: null, retry_of: null });
  });
});
