// history, status deadlines, estimate and --retry through the real tim-backup, against the emulator.

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPathOf } from '../../app/archive';
import { DAY } from '../../app/schedule/deadline';
import { type Emulator, startEmulator } from '../emulator';
import { cliEnv, runCli, startCli } from './run-cli';

const APP = { sdkAppId: 1400000202, secretKey: 'cli-schedule-secret-key-0123456789', admins: ['administrator'] };
let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({
    apps: [
      {
        ...APP,
        groups: [
          { groupId: 'small', name: '小组', messages: 120, seed: 31 },
          { groupId: 'big', messages: 6000, seed: 32 },
          { groupId: 'live', type: 'AVChatRoom', messages: 5, seed: 33 },
        ],
      },
    ],
    latencyMs: 5,
    jitterMs: 5,
  });
  dir = await mkdtemp(join(tmpdir(), 'tim-cli-schedule-'));
});
afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

const env = (over: Record<string, string | undefined> = {}) => cliEnv(emulator.url, APP, { TZ: 'Asia/Shanghai', ...over });
const json = async (args: string[], e = env()) => {
  const r = await runCli([...args, '--json'], e);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('tim-backup estimate, history and status deadlines', () => {
  it('estimates a first backup, then the history and status show the backup that ran', async () => {
    const path = join(dir, 'archive.sqlite');
    const estimate = await json(['estimate', '--archive', path, '--rate', '100']);
    // The live-stream group keeps no history: left out. Every Seq up to each group's newest may be a message.
    expect(estimate).toMatchObject({ groups: 2, messages: 6120, rate: 100, bytesPerMessage: 770, diskBytes: 6120 * 770 });
    expect(estimate.perGroup.map((g: { groupId: string }) => g.groupId).sort()).toEqual(['big', 'small']);
    // One request per 20 messages, plus the retention search and the group information calls.
    expect(estimate.requests).toBeGreaterThanOrEqual(6 + 300);
    expect(estimate.requests).toBeLessThan(6 + 300 + 40);
    expect(estimate.seconds).toBeCloseTo(estimate.requests / 100);
    // Nothing was written: the estimate only reads.
    await expect(stat(path)).rejects.toThrow();
    const text = await runCli(['estimate', 'small', '--archive', path], env());
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/A backup of 1 group would fetch up to 120 messages in about \d+ requests: \d+s at 180 requests per second/);
    expect(text.stdout).not.toMatch(/window|Seq/);
    // Media: from each group's newest 20 messages (those not recalled or deleted), under the media flags; called an estimate.
    expect(estimate.media.mode).toBe('all');
    expect(estimate.media.sampledMessages).toBeGreaterThan(30);
    expect(estimate.media.sampledMessages).toBeLessThanOrEqual(40);
    expect(estimate.media.bytes).toBe(estimate.perGroup.reduce((n: number, g: { mediaBytes: number }) => n + g.mediaBytes, 0));
    expect(text.stdout).toMatch(/^Media \(--media all\): about [\d.]+ (kB|MB) more, an estimate from the newest \d+ messages of the groups \(\d+ with images, files, voice or video\)\.$/mu);
    const thumbs = await json(['estimate', '--archive', path, '--media', 'thumbnails']);
    expect(thumbs.media.mode).toBe('thumbnails');
    expect(thumbs.media.bytes).toBeLessThan(estimate.media.bytes);
    const none = await runCli(['estimate', '--archive', path, '--media', 'none'], env());
    expect(none.stdout).toContain('Media (--media none): none downloaded.');

    const before = Date.now();
    // Media are left out: this is about the run history (media: test/media).
    const backup = await runCli(['backup', '--archive', path, '--media', 'none'], env());
    expect(backup.code, backup.stderr).toBe(0);
    const after = Date.now();

    const history = await json(['history', '--archive', path]);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ runId: 1, trigger: 'cli', outcome: 'ok', newMessages: expect.any(Number), failedMessages: 0, canRetry: false });
    expect(history[0].startedAt).toBeGreaterThanOrEqual(before);
    expect(history[0].finishedAt).toBeLessThanOrEqual(after);
    // A backup of every group leaves out the live-stream one, which keeps no history.
    expect(history[0].groups.map((g: { groupId: string; state: string }) => [g.groupId, g.state]).sort()).toEqual([['big', 'done'], ['small', 'done']]);
    const plain = await runCli(['history', '--archive', path], {});
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^RUN\s+STARTED\s+STARTED BY\s+TOOK\s+OUTCOME\s+NEW MESSAGES\s+NOT FETCHED/);
    expect(plain.stdout).toContain('command line');
    expect(plain.stdout).toMatch(/Run 1: Backed up 2 groups: [\d,]+ new messages\./);
    expect(plain.stdout).not.toMatch(/window|Seq/);

    const status = await json(['status', '--archive', path]);
    expect(status).toHaveLength(2);
    for (const g of status) {
      expect(g.retentionDays).toBe(7);
      expect(g.lastRun).toMatchObject({ runId: 1, state: 'done', outcome: 'ok' });
      // Up to date: the next message can be no older than the moment the backup learned the newest one.
      expect(g.deadline.basis).toBe('up-to-date');
      expect(g.deadline.expiresAt).toBeGreaterThanOrEqual(before + 7 * DAY);
      expect(g.deadline.expiresAt).toBeLessThanOrEqual(after + 7 * DAY);
      expect(g.deadline.dueAt).toBe(g.deadline.expiresAt - DAY);
    }
    const longer = await json(['status', '--archive', path, '--retention', '30', '--group', 'small']);
    const small = status.find((x: { groupId: string }) => x.groupId === 'small');
    expect(longer[0].deadline.expiresAt - small.deadline.expiresAt).toBe(23 * DAY);
    const viaEnv = await json(['status', '--archive', path, '--group', 'small'], env({ TIM_RETENTION_DAYS: '90' }));
    expect(viaEnv[0].retentionDays).toBe(90);
    const table = await runCli(['status', '--archive', path], env());
    expect(table.stdout).toMatch(/LAST BACKUP\s+BACK UP BY/);
    expect(table.stdout).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d complete/);
    expect(table.stdout).toContain('Deadlines assume Tencent keeps 7 days of history');

    // A second estimate knows what the archive holds: only the look-back remains to read.
    const again = await json(['estimate', '--archive', path]);
    expect(again.messages).toBe(0);
    expect(again.requests).toBeLessThanOrEqual(2 * 5 + 2);
  });

  it('a cancelled backup can be retried: exactly its unfinished group, recorded as a retry', async () => {
    const path = join(dir, 'cancelled.sqlite');
    const first = await runCli(['backup', 'small', '--archive', path], env());
    expect(first.code, first.stderr).toBe(0);
    const { child, done } = startCli(['backup', 'big', 'small', '--archive', path, '--rate', '40'], env());
    for (let i = 0; i < 600; i++) {
      if (await stat(lockPathOf(path)).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    expect((await done).code).toBe(130);

    const [cancelled] = await json(['history', '--archive', path, '--limit', '1']);
    expect(cancelled).toMatchObject({ runId: 2, outcome: 'cancelled', canRetry: true });
    expect(cancelled.description).toMatch(/^Cancelled: [\d,]+ new messages? saved\. The next backup continues where this one stopped\.$/);
    const plain = await runCli(['history', '--archive', path], {});
    expect(plain.stdout).toContain('To retry what failed: tim-backup backup --retry 2');

    const retry = await json(['backup', '--retry', '2', '--archive', path]);
    expect(retry.outcome).toBe('ok');
    expect(retry.groups.map((g: { groupId: string }) => g.groupId)).toEqual(['big']);
    const [latest] = await json(['history', '--archive', path, '--limit', '1']);
    expect(latest).toMatchObject({ runId: 3, trigger: 'cli', retryOf: 2, outcome: 'ok' });
    expect((await runCli(['history', '--archive', path], {})).stdout).toContain('Run 3 (a retry of run 2): Backed up 1 group');

    const nothing = await runCli(['backup', '--retry', '2', '--archive', path], env());
    expect(nothing.code, nothing.stderr).toBe(0);
    expect(nothing.stdout).toContain('Nothing to retry');
    const bad = await runCli(['backup', '--retry', '9', '--archive', path], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('The archive has no backup run 9');
  });

  it('refuses a retention that is not a number of days', async () => {
    const r = await runCli(['status', '--archive', join(dir, 'archive.sqlite'), '--retention', 'week'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Retention is a whole number of days .* 7, 30 or 90/);
  });
});
