// The notification at a backup's end states what app/coverage says of each group (its verdict and counts, its
// sentence in the export's dictionary), never a count of its own; failures say their cause in the person's
// language; a deadline under a day away turns any notification into a warning; and only what a person needs is shown.
import { describe, expect, it } from 'vitest';
import { describe as verdictText, judge, type StreamCounts } from '../../app/coverage/verdict';
import { backupNotice, deadlineNotice, explainingScreen, type Notice, shouldNotify, type StreamVerdict } from '../../app/desktop/notices';
import { desktopWords } from '../../app/desktop/words';
import { dictionary } from '../../app/export/i18n';
import type { Events, GroupStatus } from '../../app/ipc/contract';

const zero: StreamCounts = { messages: 0, archived: 0, recalled: 0, placeholders: 0, absent: 0, failed: 0, expired: 0, notYetFetched: 0, missing: 0 };
const NOV_26 = Date.parse('2026-11-26T08:00:00Z') / 1000;

const complete: StreamVerdict = { groupId: 'g1', name: '产品讨论群', completeness: judge({ ...zero, messages: 500, archived: 500 }, true, undefined) };
const since: StreamVerdict = { groupId: 'g2', name: 'Weekly', completeness: judge({ ...zero, messages: 80, archived: 80, expired: 1520 }, true, NOV_26) };
const gaps: StreamVerdict = { groupId: 'g3', topicId: 't1', name: 'Releases', completeness: judge({ ...zero, messages: 900, archived: 900, failed: 40, notYetFetched: 2, missing: 42 }, true, undefined) };
const notInRun: StreamVerdict = { groupId: 'g9', name: 'Elsewhere', completeness: judge({ ...zero, missing: 7, notYetFetched: 7 }, true, undefined) };

function done(outcome: Events['backupDone']['summary']['outcome'], streams: { groupId: string; topicId?: string; state?: string }[], extra: Partial<Events['backupDone']['summary']> = {}): Events['backupDone'] {
  return {
    profile: 'Demo',
    backupId: 'b1',
    summary: {
      outcome,
      groups: streams.map((g) => ({ groupId: g.groupId, ...(g.topicId ? { topicId: g.topicId } : {}), state: (g.state ?? 'done') as 'done', windowsTotal: 1, windowsDone: 1, windowsFailed: 0, messagesStored: 1, failedRanges: [] })),
      requests: 3,
      retries: 0,
      rateLimited: 0,
      messagesStored: 1234,
      windowsDone: 3,
      windowsFailed: 0,
      elapsedMs: 1000,
      ...extra,
    },
  };
}

const tz = 'Asia/Shanghai';

describe('the notification at the end of a backup', () => {
  it('a run whose groups all hold everything Tencent still has is "complete", counted by app/coverage', () => {
    const n = backupNotice({ done: done('ok', [{ groupId: 'g1' }, { groupId: 'g2' }]), streams: [complete, since, notInRun], groups: [], lang: 'en', timeZone: tz });
    const history = { profile: 'Demo', screen: 'history' };
    expect(n).toEqual({ kind: 'done', title: 'Backup complete', body: 'Demo: 1,234 new messages. All 2 groups hold everything Tencent still has.', target: history });
    const zh = backupNotice({ done: done('ok', [{ groupId: 'g1' }]), streams: [complete], groups: [], lang: 'zh-CN', timeZone: tz });
    expect(zh).toEqual({ kind: 'done', title: '备份完成', body: 'Demo：新增 1,234 条消息。该群组在腾讯现存的消息已全部归档。', target: history });
  });

  it('an incomplete group is named with app/coverage’s own sentence, even when the run itself said "ok"', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const n = backupNotice({ done: done('ok', [{ groupId: 'g1' }, { groupId: 'g3', topicId: 't1' }]), streams: [complete, gaps], groups: [], lang, timeZone: tz });
      const sentence = verdictText(gaps.completeness, dictionary(lang).completeness, { count: (c) => new Intl.NumberFormat(lang).format(c), date: () => 'unused' }).text;
      expect(n.kind).toBe('gaps');
      expect(n.title).toBe(desktopWords(lang).notice.gapsTitle);
      expect(n.body).toContain(sentence);
      expect(n.body).toContain(desktopWords(lang).notice.groupVerdict('Releases', sentence));
      expect(n.body).toContain(desktopWords(lang).notice.someComplete('1', '2'));
    }
    // 42 missing, 40 of them failed: the counts are coverage's.
    expect(backupNotice({ done: done('partial', [{ groupId: 'g3', topicId: 't1' }]), streams: [gaps], groups: [], lang: 'en', timeZone: tz }).body).toContain(
      'Releases: Incomplete: 42 messages are not archived; fetching 40 of them failed.',
    );
  });

  it('"complete since" counts as holding everything Tencent has; alone among incomplete groups it is not the one named', () => {
    const n = backupNotice({ done: done('partial', [{ groupId: 'g2' }, { groupId: 'g3', topicId: 't1' }]), streams: [since, gaps], groups: [], lang: 'en', timeZone: tz });
    expect(n.body).toContain('1 of 2 groups hold everything Tencent still has.');
    expect(n.body).toContain('Releases: Incomplete');
    expect(n.body).not.toContain('Weekly');
  });

  it('a group whose newest message is not known yet is not called complete', () => {
    const unknown: StreamVerdict = { groupId: 'g4', name: 'New', completeness: judge({ ...zero }, false, undefined) };
    const n = backupNotice({ done: done('ok', [{ groupId: 'g4' }]), streams: [unknown], groups: [], lang: 'en', timeZone: tz });
    expect(n.kind).toBe('gaps');
    expect(n.body).toContain(`New: ${dictionary('en').completeness.unknownNewest}`);
  });

  it('skipped groups are not judged (another backup cannot help them)', () => {
    const n = backupNotice({ done: done('ok', [{ groupId: 'g1' }, { groupId: 'g9', state: 'skipped' }]), streams: [complete, notInRun], groups: [], lang: 'en', timeZone: tz });
    expect(n.kind).toBe('done');
  });

  it('a failure says its cause in the person’s language, never the worker’s English', () => {
    const failed = done('failed', [], { error: 'Tencent refused the SecretKey (70001).', errorKind: 'credentials' });
    expect(backupNotice({ done: failed, streams: [], groups: [], lang: 'zh-CN', timeZone: tz })).toEqual({
      kind: 'failed',
      title: '备份失败',
      body: `Demo：${desktopWords('zh-CN').notice.stopCause.credentials}`,
      target: { profile: 'Demo', screen: 'history' },
    });
    const odd = backupNotice({ done: done('failed', [], { error: 'internal thing', errorKind: 'internal' }), streams: [], groups: [], lang: 'en', timeZone: tz });
    expect(odd.body).toBe('Demo: open TIM Group Backup to see why.');
    expect(backupNotice({ done: done('cancelled', []), streams: [], groups: [], lang: 'en', timeZone: tz }).title).toBe('Backup stopped');
  });

  it('a deadline less than a day away turns it into a warning naming the groups and the time', () => {
    const expiresAt = Date.parse('2026-12-04T02:00:00Z');
    const soon = (groupId: string, name: string, at: number): GroupStatus => ({ groupId, name, deadline: { basis: 'missing', expiresAt: at, dueAt: at - 3_600_000, oldestMissing: 10 }, attention: ['failed', 'gaps', 'expiring-soon'] });
    const groups = [soon('g3', 'Releases', expiresAt + 3_600_000), soon('g5', 'Ops', expiresAt), soon('g6', 'Sales', expiresAt + 7_200_000), { ...soon('g7', 'Gone', 0), skippedReason: 'dismissed' }];
    const n = backupNotice({ done: done('failed', [], { errorKind: 'network' }), streams: [], groups, lang: 'en', timeZone: 'UTC' });
    expect(n.kind).toBe('attention');
    expect(n.title).toBe('Messages may soon be deleted at Tencent');
    expect(n.body).toContain(desktopWords('en').notice.stopCause.network);
    expect(n.body).toContain('the oldest messages not archived in Releases, Ops and 1 more group may be deleted at Tencent from Dec 4, 2026, 2:00 AM');
    expect(n.body).not.toContain('Gone');
    const zh = backupNotice({ done: done('failed', [], { errorKind: 'network' }), streams: [], groups, lang: 'zh-CN', timeZone: 'Asia/Shanghai' });
    expect(zh.body).toContain('Releases、Ops 等 3 个群组中尚未归档的最早消息可能从 2026年12月4日 10:00 起在腾讯被删除');
  });
});

describe('the screen a click on a notification opens', () => {
  it('a backup’s end opens that run in the history (stopped, failed or done)', () => {
    for (const outcome of ['ok', 'failed', 'cancelled'] as const) {
      const n = backupNotice({ done: done(outcome, [{ groupId: 'g1' }], { runId: 42 }), streams: [complete], groups: [], lang: 'en', timeZone: tz });
      expect(n.target).toEqual({ profile: 'Demo', screen: 'history', runId: 42 });
    }
    // A backup that stopped before it was recorded: the history, at its newest.
    expect(backupNotice({ done: done('failed', []), streams: [], groups: [], lang: 'en', timeZone: tz }).target).toEqual({ profile: 'Demo', screen: 'history' });
  });

  it('gaps open the Coverage of the groups left incomplete, the one named first', () => {
    const unknown: StreamVerdict = { groupId: 'g4', name: 'New', completeness: judge({ ...zero }, false, undefined) };
    const n = backupNotice({ done: done('partial', [{ groupId: 'g1' }, { groupId: 'g4' }, { groupId: 'g3', topicId: 't1' }], { runId: 7 }), streams: [complete, unknown, gaps], groups: [], lang: 'en', timeZone: tz });
    expect(n.kind).toBe('gaps');
    expect(n.target).toEqual({ profile: 'Demo', screen: 'coverage', groups: [{ groupId: 'g3', topicId: 't1' }, { groupId: 'g4' }] });
  });

  it('a deadline opens the Overview, also when it rides on a backup’s end; a wake the Backup screen; a refused key Setup', () => {
    const at = Date.parse('2026-12-04T02:00:00Z');
    const groups: GroupStatus[] = [{ groupId: 'g3', name: 'Releases', deadline: { basis: 'missing', expiresAt: at, dueAt: at - 3_600_000, oldestMissing: 10 }, attention: ['expiring-soon'] }];
    const n = backupNotice({ done: done('failed', [], { runId: 9, errorKind: 'network' }), streams: [], groups, lang: 'en', timeZone: 'UTC' });
    expect(n).toMatchObject({ kind: 'attention', target: { profile: 'Demo', screen: 'overview' } });
    expect(deadlineNotice('Demo', groups, 'en', 'UTC')!.target).toEqual({ profile: 'Demo', screen: 'overview' });
    expect(explainingScreen('Demo', { kind: 'resumed' })).toEqual({ profile: 'Demo', screen: 'backup' });
    expect(explainingScreen('Demo', { kind: 'cannot-start', cause: 'credentials' })).toEqual({ profile: 'Demo', screen: 'setup' });
    expect(explainingScreen('Demo', { kind: 'cannot-start', cause: 'no-secret-key' })).toEqual({ profile: 'Demo', screen: 'setup' });
    expect(explainingScreen('Demo', { kind: 'cannot-start', cause: 'network' })).toEqual({ profile: 'Demo', screen: 'overview' });
  });
});

describe('when a notification is shown', () => {
  const notice = (kind: Notice['kind']): Notice => ({ kind, title: 't', body: 'b', target: { profile: 'Demo', screen: 'overview' } });
  const ctx = { trigger: 'scheduled' as const, focused: false, long: false, paused: false };

  it('always for failures, gaps and deadlines; never for a backup paused by sleep', () => {
    for (const kind of ['failed', 'gaps', 'attention'] as const) {
      expect(shouldNotify(notice(kind), { ...ctx, focused: true })).toBe(true);
      expect(shouldNotify(notice(kind), { ...ctx, paused: true })).toBe(false);
    }
  });

  it('a scheduled backup that went well is quiet; a person’s is told when they looked away or it took long', () => {
    expect(shouldNotify(notice('done'), ctx)).toBe(false);
    expect(shouldNotify(notice('done'), { ...ctx, trigger: 'manual' })).toBe(true);
    expect(shouldNotify(notice('done'), { ...ctx, trigger: 'manual', focused: true })).toBe(false);
    expect(shouldNotify(notice('done'), { ...ctx, trigger: 'manual', focused: true, long: true })).toBe(true);
    expect(shouldNotify(notice('cancelled'), { ...ctx, focused: true })).toBe(false);
    expect(shouldNotify(notice('cancelled'), ctx)).toBe(true);
  });
});
