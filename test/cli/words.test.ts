// The CLI speaks of messages, groups and time, in English and Chinese: never of the engine's windows, and
// message numbers instead of "Seq" in its column headers.

import { describe, expect, it } from 'vitest';
import type { RunProgress } from '../../app/engine/progress';
import { progressLine } from '../../app/cli/output';
import { cliWords } from '../../app/cli/words';

const progress: RunProgress = {
  runId: 3,
  elapsedMs: 12_000,
  requests: 140,
  retries: 2,
  rateLimited: 1,
  messagesStored: 2480,
  windowsDone: 120,
  windowsFailed: 1,
  windowsTotal: 400,
  requestsPerSecond: 11.6,
  messagesPerSecond: 206.4,
  etaSeconds: 185,
  pacerRate: 180,
  groups: [
    { groupId: 'a', state: 'done', windowsTotal: 100, windowsDone: 100, windowsFailed: 0, messagesStored: 2000 },
    { groupId: 'b', state: 'fetching', windowsTotal: 200, windowsDone: 20, windowsFailed: 1, messagesStored: 480 },
    { groupId: 'c', state: 'queued', windowsTotal: 100, windowsDone: 0, windowsFailed: 0, messagesStored: 0 },
  ],
  done: false,
};

describe('backup progress in words', () => {
  it('English: percent, new messages, groups finished, pace and time left, and what went wrong', () => {
    const line = progressLine(progress, cliWords('en'));
    expect(line).toBe('30% done, 2,480 new messages, 1 of 3 groups finished, 206 messages/s, about 3m05s left (2 retries, 1 stretch of messages could not be fetched, 1 time Tencent asked us to slow down)');
    expect(line).not.toMatch(/window|req\/s|Seq/i);
  });

  it('Chinese: the same facts in Chinese, without 窗口', () => {
    const line = progressLine(progress, cliWords('zh-CN'));
    expect(line).toBe('已完成 30%，新消息 2480 条，3 个群组中已完成 1 个，每秒 206 条，约剩 3 分 5 秒（重试 2 次，1 段消息拉取失败，腾讯 1 次提示请求过于频繁）');
    expect(line).not.toMatch(/窗口|window/i);
  });

  it('a quiet run says only what there is to say', () => {
    const quiet: RunProgress = { ...progress, retries: 0, rateLimited: 0, windowsFailed: 0 };
    delete quiet.etaSeconds;
    expect(progressLine(quiet, cliWords('en'))).toBe('30% done, 2,480 new messages, 1 of 3 groups finished, 206 messages/s');
  });

  it('column headers name message numbers, not Seqs, in both languages', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const w = cliWords(lang);
      expect([...w.backupHeader, ...w.groupsHeader].join(' ')).not.toMatch(/\bSEQ/i);
    }
    expect(cliWords('en').backupHeader).toContain('NEWEST MESSAGE NO.');
    expect(cliWords('zh-CN').groupsHeader).toContain('最新消息序号');
    expect(cliWords('zh-CN').messageNo(835)).toBe('第 835 条');
  });
});
