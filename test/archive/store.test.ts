import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive, ArchiveError, KINDS, rowsOf, valueOf } from '../../app/archive';
import type { GroupMsg } from '../../app/im/wire';
import { deleted, msg, onCleanup, recalled, tempDir, textMsg } from './helpers';

async function openArchive(): Promise<{ archive: Archive; path: string; gid: number; runId: number }> {
  const path = join(await tempDir(), 'archive.sqlite');
  const archive = await Archive.open(path, { create: true });
  onCleanup(() => archive.close());
  const gid = archive.upsertGroup({ sdkAppId: 1400000001, groupId: '@TGS#1TEST' });
  return { archive, path, gid, runId: archive.beginRun() };
}

function rows(archive: Archive, gid: number): { seq: number; state: number; raw: GroupMsg; text: string }[] {
  return rowsOf(archive.db, 'SELECT seq, state, raw, text FROM messages WHERE gid = ? ORDER BY seq', gid).map(([seq, state, raw, text]) => ({
    seq: Number(seq),
    state: Number(state),
    raw: JSON.parse(String(raw)) as GroupMsg,
    text: String(text),
  }));
}

function ftsHits(archive: Archive, query: string): number[] {
  return rowsOf(archive.db, 'SELECT docid FROM message_fts WHERE message_fts MATCH ? ORDER BY docid', query).map((r) => Number(r[0]));
}

/** Rows in message_fts: FTS4 keeps the count as the first varint of its %_stat row (there is no %_docsize). */
function ftsRows(archive: Archive): number {
  const stat = valueOf(archive.db, 'SELECT value FROM message_fts_stat WHERE id = 0') as Uint8Array | undefined;
  let n = 0;
  for (let i = 0, shift = 1; stat && i < stat.length; i++, shift *= 128) {
    n += (stat[i]! & 0x7f) * shift;
    if (stat[i]! < 0x80) break;
  }
  return n;
}

function count(archive: Archive, sql: string): number {
  return Number(valueOf(archive.db, sql));
}

describe('lossless storage', () => {
  it('raw round-trips deep-equal through a commit and reopen: unknown fields, unknown MsgTypes, lone surrogates', async () => {
    const { archive, path, gid, runId } = await openArchive();
    const lone = 'half a pair: \ud800 and \udfff, then 😀';
    const msgs: GroupMsg[] = [
      textMsg(1, lone, { CloudCustomData: '{"k":"\udbff"}', FutureField: { nested: [1, 'two', null, true] } }),
      msg(2, [
        { MsgType: 'TIMStreamElem', MsgContent: { Frames: [1, 2, 3], Codec: 'x' }, Extra: 'kept' },
        { MsgType: 'TIMTextElem', MsgContent: { Text: 'after' } },
      ]),
      msg(3, [{ MsgType: 'TIMCustomElem', MsgContent: { Data: '\b\u0001\u0010\u0000\uffff', Desc: 'd', Ext: 'e', Sound: '' } }], { IsSystemMsg: 0, MsgPriority: 4 }),
      { ...textMsg(4, 'big numbers'), MsgRandom: 4294967295, MsgTimeStamp: 2 ** 40 },
    ];
    archive.storeWindow(gid, 1, 4, msgs, runId);
    await archive.close();

    const reopened = await Archive.open(path, { readOnly: true });
    onCleanup(() => reopened.close());
    const stored = rows(reopened, gid);
    expect(stored.map((r) => r.raw)).toEqual(msgs);
    // Why that works: JSON.stringify escapes a lone surrogate, so the stored TEXT is plain ASCII there.
    expect(String(valueOf(reopened.db, 'SELECT raw FROM messages WHERE seq = 1'))).toContain(String.raw`half a pair: \ud800 and \udfff`);
    expect(stored[0]!.raw.MsgBody[0]).toEqual({ MsgType: 'TIMTextElem', MsgContent: { Text: lone } });
    // The display text is well-formed (SQLite would mangle a lone surrogate), the raw is exact.
    expect(stored[0]!.text).toBe(lone.toWellFormed());
    expect(stored[1]!.text).toBe('[TIMStreamElem] after');
  });
});

describe('storeWindow', () => {
  it('is idempotent: the same answer again inserts nothing, records no change, adds no index row', async () => {
    const { archive, gid, runId } = await openArchive();
    const window = [textMsg(1, '大家你好啊'), textMsg(2, 'hello world'), textMsg(4, 'four')];
    expect(archive.storeWindow(gid, 1, 5, window, runId)).toEqual({ inserted: 3, unchanged: 0, changed: 0, repaired: 0, damaged: 0 });
    // total_changes() counts every row this connection has inserted, updated or deleted.
    const changes = () => Number(valueOf(archive.db, 'SELECT total_changes()'));
    const before = changes();
    expect(archive.storeWindow(gid, 1, 5, structuredClone(window), runId)).toEqual({ inserted: 0, unchanged: 3, changed: 0, repaired: 0, damaged: 0 });
    expect(changes()).toBe(before);
    expect(count(archive, 'SELECT count(*) FROM messages')).toBe(3);
    expect(count(archive, 'SELECT count(*) FROM message_changes')).toBe(0);
    expect(archive.coverage(gid)).toEqual({ covered: [{ lo: 1, hi: 5 }], expired: [], failed: [] });
  });

  it('a later run re-reading the same content only notes that it saw it', async () => {
    const { archive, gid, runId } = await openArchive();
    archive.storeWindow(gid, 1, 2, [textMsg(1, 'a'), textMsg(2, 'b')], runId);
    const run2 = archive.beginRun();
    expect(archive.storeWindow(gid, 1, 2, [textMsg(1, 'a'), textMsg(2, 'b')], run2)).toEqual({ inserted: 0, unchanged: 2, changed: 0, repaired: 0, damaged: 0 });
    expect(rowsOf(archive.db, 'SELECT first_run, last_run FROM messages ORDER BY seq')).toEqual([
      [runId, run2],
      [runId, run2],
    ]);
  });

  it('a message recalled or deleted after it was archived keeps its original; the change is recorded once', async () => {
    const { archive, gid, runId } = await openArchive();
    const a = textMsg(1, '大家你好啊');
    const b = textMsg(2, 'secret plan');
    archive.storeWindow(gid, 1, 2, [a, b], runId);
    const run2 = archive.beginRun();
    expect(archive.storeWindow(gid, 1, 2, [recalled(a), deleted(b)], run2)).toEqual({ inserted: 0, unchanged: 0, changed: 2, repaired: 0, damaged: 0 });
    expect(archive.storeWindow(gid, 1, 2, [recalled(a), deleted(b)], run2)).toEqual({ inserted: 0, unchanged: 2, changed: 0, repaired: 0, damaged: 0 });

    const stored = rows(archive, gid);
    expect(stored.map((r) => [r.seq, r.state, r.raw])).toEqual([
      [1, 2, a],
      [2, 1, b],
    ]);
    expect(rowsOf(archive.db, 'SELECT seq, run_id, from_state, to_state, raw FROM message_changes ORDER BY seq')).toEqual([
      [1, run2, 0, 2, JSON.stringify(recalled(a))],
      [2, run2, 0, 1, JSON.stringify(deleted(b))],
    ]);
    // Still findable, and indexed once.
    expect(ftsHits(archive, '"你 好"')).toHaveLength(1);
    expect(ftsHits(archive, 'secret')).toHaveLength(1);
    expect(archive.stats(gid)).toMatchObject({ archived: 0, recalled: 1, placeholders: 1, absent: 0 });
  });

  it('a Seq first seen as a placeholder takes the content when it later comes back with some', async () => {
    const { archive, gid, runId } = await openArchive();
    const real = textMsg(3, 'late arrival');
    archive.storeWindow(gid, 3, 3, [deleted(real)], runId);
    expect(ftsHits(archive, 'arrival')).toEqual([]);
    expect(archive.storeWindow(gid, 3, 3, [real], runId)).toEqual({ inserted: 0, unchanged: 0, changed: 1, repaired: 0, damaged: 0 });
    expect(rows(archive, gid)).toMatchObject([{ seq: 3, state: 0, raw: real, text: 'late arrival' }]);
    expect(ftsHits(archive, 'arrival')).toHaveLength(1);
  });

  it('Seqs missing from the answer are holes: covered, without rows, counted as absent', async () => {
    const { archive, gid, runId } = await openArchive();
    archive.storeWindow(gid, 1, 20, [textMsg(3, 'x'), textMsg(9, 'y'), { ...textMsg(11, ''), IsPlaceMsg: 1, MsgBody: [] }], runId);
    expect(archive.stats(gid)).toMatchObject({ archived: 2, placeholders: 1, recalled: 0, absent: 17, oldest: 3, newest: 11, failed: 0, expired: 0 });
    expect(archive.gaps(gid, 1, 20)).toEqual([]);
  });

  it('is atomic: a window that fails part-way stores nothing of it, and undoes nothing stored before it', async () => {
    const { archive, gid, runId } = await openArchive();
    // Windows share one open transaction (see Archive.write): a failure must undo its own window only.
    archive.storeWindow(gid, 10, 12, [textMsg(10, 'kept'), textMsg(11, 'also kept')], runId);
    const poisoned = { ...textMsg(2, 'b'), Big: 10n } as unknown as GroupMsg;
    expect(() => archive.storeWindow(gid, 1, 3, [textMsg(1, 'alpha'), poisoned], runId)).toThrow(/BigInt/);
    expect(() => archive.storeWindow(gid, 1, 3, [textMsg(7, 'outside')], runId)).toThrow(/outside the window 1-3/);
    expect(count(archive, 'SELECT seq FROM messages')).toBe(10);
    expect(count(archive, 'SELECT count(*) FROM messages')).toBe(2);
    expect(archive.coverage(gid).covered).toEqual([{ lo: 10, hi: 12 }]);
    // The message that was rolled back left nothing in the index either (its id is reused now).
    expect(archive.storeWindow(gid, 1, 3, [textMsg(1, 'other')], runId).inserted).toBe(1);
    expect(ftsHits(archive, 'alpha')).toEqual([]);
    expect(ftsHits(archive, 'other')).toHaveLength(1);
    expect(ftsHits(archive, 'kept')).toHaveLength(2);
  });

  it('messages whose preferred ids collide (same second, same slot) each get their own id', async () => {
    const { archive, gid, runId } = await openArchive();
    // Seqs 4096 apart in one group and one second share the preferred slot (./ids.ts).
    const at = { MsgTimeStamp: 1_700_000_000 };
    archive.storeWindow(gid, 1, 1, [textMsg(1, 'first', at)], runId);
    archive.storeWindow(gid, 4097, 4097, [textMsg(4097, 'second', at)], runId);
    expect(rows(archive, gid).map((r) => [r.seq, r.text])).toEqual([[1, 'first'], [4097, 'second']]);
    expect(count(archive, 'SELECT count(DISTINCT id) FROM messages')).toBe(2);
    expect(archive.storeWindow(gid, 4097, 4097, [textMsg(4097, 'second', at)], runId)).toEqual({ inserted: 0, unchanged: 1, changed: 0, repaired: 0, damaged: 0 });
  });
});

describe('coverage', () => {
  it('covered ranges are merged however windows arrive, and gaps are what is left', async () => {
    const { archive, gid, runId } = await openArchive();
    for (const [lo, hi] of [
      [41, 60],
      [1, 20],
      [61, 80],
      [15, 30],
      [100, 120],
    ] as const) {
      archive.storeWindow(gid, lo, hi, [], runId);
    }
    expect(archive.coverage(gid).covered).toEqual([
      { lo: 1, hi: 30 },
      { lo: 41, hi: 80 },
      { lo: 100, hi: 120 },
    ]);
    expect(archive.gaps(gid, 1, 130)).toEqual([
      { lo: 31, hi: 40 },
      { lo: 81, hi: 99 },
      { lo: 121, hi: 130 },
    ]);
    expect(archive.gaps(gid, 50, 70)).toEqual([]);
    expect(archive.gaps(gid, 25, 45)).toEqual([{ lo: 31, hi: 40 }]);
    archive.storeWindow(gid, 31, 40, [], runId);
    archive.storeWindow(gid, 81, 99, [], runId);
    expect(archive.coverage(gid).covered).toEqual([{ lo: 1, hi: 120 }]);
    expect(count(archive, "SELECT count(*) FROM seq_ranges WHERE status = 'covered'")).toBe(1);
  });

  it('expired ranges are one row however long, are not gaps, and never hide archived Seqs', async () => {
    const { archive, gid, runId } = await openArchive();
    archive.storeWindow(gid, 500, 520, [textMsg(510, 'kept from before the edge moved')], runId);
    archive.markExpired(gid, 1, 999_999, runId);
    const cov = archive.coverage(gid);
    expect(cov.expired).toEqual([
      { lo: 1, hi: 499 },
      { lo: 521, hi: 999_999 },
    ]);
    expect(cov.covered).toEqual([{ lo: 500, hi: 520 }]);
    expect(count(archive, 'SELECT count(*) FROM seq_ranges')).toBe(3);
    expect(archive.gaps(gid, 1, 1_000_010)).toEqual([{ lo: 1_000_000, hi: 1_000_010 }]);
    expect(archive.stats(gid)).toMatchObject({ expired: 999_978, archived: 1, absent: 20 });
    // Reading a Seq that was thought expired makes it covered.
    archive.storeWindow(gid, 990, 1000, [], runId);
    expect(archive.coverage(gid).expired).toEqual([
      { lo: 1, hi: 499 },
      { lo: 521, hi: 989 },
      { lo: 1001, hi: 999_999 },
    ]);
  });

  it('failed ranges are gaps, and a later cover removes exactly the part it covers', async () => {
    const { archive, gid, runId } = await openArchive();
    archive.storeWindow(gid, 1, 20, [], runId);
    archive.markFailed(gid, 15, 60, runId, 'Tencent kept answering 10002');
    expect(archive.coverage(gid).failed).toEqual([{ lo: 21, hi: 60 }]);
    expect(archive.gaps(gid, 1, 60)).toEqual([{ lo: 21, hi: 60 }]);
    expect(rowsOf(archive.db, "SELECT reason FROM seq_ranges WHERE status = 'failed'")).toEqual([['Tencent kept answering 10002']]);

    const run2 = archive.beginRun();
    archive.storeWindow(gid, 31, 40, [], run2);
    expect(archive.coverage(gid).failed).toEqual([
      { lo: 21, hi: 30 },
      { lo: 41, hi: 60 },
    ]);
    archive.storeWindow(gid, 21, 30, [], run2);
    archive.storeWindow(gid, 41, 60, [], run2);
    expect(archive.coverage(gid)).toEqual({ covered: [{ lo: 1, hi: 60 }], expired: [], failed: [] });
    expect(archive.stats(gid).failed).toBe(0);
  });
});

describe('full-text index', () => {
  it('finds 你好 inside 大家你好啊, Latin words case- and accent-blind, and searchable parts of other elements', async () => {
    const { archive, gid, runId } = await openArchive();
    archive.storeWindow(
      gid,
      1,
      4,
      [
        textMsg(1, '大家你好啊'),
        textMsg(2, 'Rendez-vous au Café'),
        msg(3, [{ MsgType: 'TIMFileElem', MsgContent: { Url: 'u', UUID: 'x', FileSize: 1, FileName: '季度报告.pdf', Download_Flag: 2 } }]),
        textMsg(4, '你们好'),
      ],
      runId,
    );
    const id = (seq: number) => count(archive, `SELECT id FROM messages WHERE seq = ${seq}`);
    expect(ftsHits(archive, '"你 好"')).toEqual([id(1)]);
    expect(ftsHits(archive, 'cafe')).toEqual([id(2)]);
    expect(ftsHits(archive, '"报 告"')).toEqual([id(3)]);
    expect(ftsHits(archive, '"你"')).toEqual([id(1), id(4)]);
  });

  it('a recalled re-read adds no second index row; a commit saves the index with the messages', async () => {
    const { archive, path, gid, runId } = await openArchive();
    const original = textMsg(1, '大家你好啊');
    archive.storeWindow(gid, 1, 1, [original], runId);
    archive.storeWindow(gid, 1, 1, [recalled(original)], runId);
    archive.storeWindow(gid, 1, 1, [original], runId);
    expect(ftsHits(archive, '"你 好"')).toHaveLength(1);
    expect(ftsRows(archive)).toBe(1);
    archive.commit();
    const reader = await Archive.open(path, { readOnly: true });
    onCleanup(() => reader.close());
    expect(ftsHits(reader, '"你 好"')).toHaveLength(1);
  });
});

  it('a commit writes one index segment however its windows arrived: a backup stores them newest first', async () => {
    const path = join(await tempDir(), 'archive.sqlite');
    let commits = 0;
    const archive = await Archive.open(path, { create: true, onCommit: () => commits++ });
    onCleanup(() => archive.close());
    const gid = archive.upsertGroup({ sdkAppId: 1400000001, groupId: '@TGS#1TEST' });
    const runId = archive.beginRun();
    archive.commit();
    const segments = () => count(archive, 'SELECT count(*) FROM message_fts_segdir');
    const before = segments();
    const committed = commits;
    // Twelve windows of twenty, newest first, as the engine walks Seq down: each window's ids are below the last's.
    for (let hi = 240; hi > 0; hi -= 20) {
      archive.storeWindow(gid, hi - 19, hi, Array.from({ length: 20 }, (_, i) => textMsg(hi - 19 + i, `第 ${hi - 19 + i} 条 message`)), runId);
    }
    archive.commit();
    // A commit the clock made on a slow machine writes a segment of its own; none is written per window.
    expect(segments() - before).toBe(commits - committed);
    expect(commits - committed).toBeLessThan(12);
    expect(ftsHits(archive, '"message"')).toHaveLength(240);
  });

describe('groups, runs, members', () => {
  it('upsertGroup keeps one row per (app, group, topic) and the info losslessly', async () => {
    const { archive, gid } = await openArchive();
    const info = { GroupId: '@TGS#1TEST', ErrorCode: 0, ErrorInfo: '', Type: 'Public', Name: '产品讨论群', NextMsgSeq: 101, Custom: { a: [1] } };
    expect(archive.upsertGroup({ sdkAppId: 1400000001, groupId: '@TGS#1TEST', info, newestSeq: 100 })).toBe(gid);
    expect(archive.upsertGroup({ sdkAppId: 1400000001, groupId: '@TGS#1TEST' })).toBe(gid);
    const topic = archive.upsertGroup({ sdkAppId: 1400000001, groupId: '@TGS#1TEST', topicId: '@TGS#1TEST@TOPIC#a' });
    const other = archive.upsertGroup({ sdkAppId: 1400000002, groupId: '@TGS#1TEST' });
    expect(new Set([gid, topic, other]).size).toBe(3);
    const row = archive.groups().find((g) => g.gid === gid)!;
    expect(row).toMatchObject({ sdkAppId: 1400000001, groupId: '@TGS#1TEST', topicId: '', type: 'Public', name: '产品讨论群', newestSeq: 100, info });
    expect(archive.groups()).toHaveLength(3);
  });

  it('runs record their outcome; a run left running by a crashed writer is closed as failed on the next writer open', async () => {
    const { archive, path, runId } = await openArchive();
    archive.finishRun(runId, 'partial', { windowsFailed: 2 });
    expect(rowsOf(archive.db, 'SELECT outcome, summary FROM runs WHERE run_id = ?', runId)).toEqual([['partial', '{"windowsFailed":2}']]);
    expect(() => archive.finishRun(9999, 'ok', {})).toThrow(/no run 9999/);
    const crashed = archive.beginRun();
    await archive.close();
    const again = await Archive.open(path);
    onCleanup(() => again.close());
    const [[outcome, summary]] = rowsOf(again.db, 'SELECT outcome, summary FROM runs WHERE run_id = ?', crashed) as [[string, string]];
    expect(outcome).toBe('failed');
    expect(summary).toMatch(/interrupted/);
  });

  it('members and profiles are upserted', async () => {
    const { archive, gid } = await openArchive();
    archive.upsertMembers(gid, [{ Member_Account: 'u1', Role: 'Owner', JoinTime: 1, NameCard: '老王' }, { Member_Account: 'u2' }]);
    archive.upsertMembers(gid, [{ Member_Account: 'u2', NameCard: '小李', Role: 'Member', Extra: true }]);
    expect(rowsOf(archive.db, 'SELECT account, name_card, role, join_time, raw FROM members ORDER BY account')).toEqual([
      ['u1', '老王', 'Owner', 1, '{"Member_Account":"u1","Role":"Owner","JoinTime":1,"NameCard":"老王"}'],
      ['u2', '小李', 'Member', null, '{"Member_Account":"u2","NameCard":"小李","Role":"Member","Extra":true}'],
    ]);
    archive.upsertProfiles(1400000001, [{ account: 'u1', nick: 'Wang' }]);
    archive.upsertProfiles(1400000001, [{ account: 'u1', nick: 'Wang Wei' }]);
    expect(rowsOf(archive.db, 'SELECT sdkappid, account, nick FROM profiles')).toEqual([[1400000001, 'u1', 'Wang Wei']]);
  });

  it('byKind counts rows per element kind', async () => {
    const { archive, gid, runId } = await openArchive();
    archive.storeWindow(
      gid,
      1,
      3,
      [
        textMsg(1, 'x'),
        msg(2, [
          { MsgType: 'TIMTextElem', MsgContent: { Text: 'look' } },
          { MsgType: 'TIMImageElem', MsgContent: { UUID: 'i', ImageFormat: 1, ImageInfoArray: [] } },
        ]),
        msg(3, [{ MsgType: 'TIMGroupTipElem', MsgContent: {} }]),
      ],
      runId,
    );
    const { byKind } = archive.stats(gid);
    expect(byKind).toEqual({ ...Object.fromEntries(Object.keys(KINDS).map((k) => [k, 0])), text: 2, image: 1, other: 1 });
  });
});

describe('readers and commits', () => {
  it('a read-only archive refuses writes; a reader in another connection sees each commit whole, never what is not committed', async () => {
    const { archive, path, gid, runId } = await openArchive();
    archive.commit();
    const reader = await Archive.open(path, { readOnly: true });
    onCleanup(() => reader.close());
    expect(() => reader.storeWindow(gid, 3, 3, [], runId)).toThrow(ArchiveError);
    expect(() => reader.beginRun()).toThrow(/opened read-only/);

    archive.storeWindow(gid, 1, 20, [textMsg(1, '第一条')], runId);
    expect(archive.dirty).toBe(true);
    // Not committed yet: the reader sees neither the message nor its coverage.
    expect(reader.stats(gid).archived).toBe(0);
    expect(reader.coverage(gid).covered).toEqual([]);
    archive.commit();
    expect(archive.dirty).toBe(false);
    expect(reader.stats(gid).archived).toBe(1);
    expect(reader.coverage(gid).covered).toEqual([{ lo: 1, hi: 20 }]);
    expect(ftsHits(reader, '"第 一"')).toHaveLength(1);
  });

  it('the writer commits by itself within a second of a write, with no further call', async () => {
    const commits: number[] = [];
    const path = join(await tempDir(), 'timer.sqlite');
    const archive = await Archive.open(path, { create: true, onCommit: (ms) => commits.push(ms) });
    onCleanup(() => archive.close());
    const reader = await Archive.open(path, { readOnly: true });
    onCleanup(() => reader.close());
    const gid = archive.upsertGroup({ sdkAppId: 1, groupId: 'g' });
    archive.storeWindow(gid, 1, 20, [textMsg(1, 'hello')], archive.beginRun());
    const before = commits.length;
    await new Promise((r) => setTimeout(r, 1300));
    expect(commits.length).toBeGreaterThan(before);
    expect(archive.dirty).toBe(false);
    expect(reader.stats(gid).archived).toBe(1);
  });
});

describe('senders (schema v8)', () => {
  it('sums each group’s senders exactly as the messages say, through new messages, a placeholder given content and a write that failed', async () => {
    const archive = await Archive.open(join(await tempDir(), 'senders.sqlite'), { create: true });
    try {
      const gid = archive.upsertGroup({ sdkAppId: 1400000001, groupId: '@TGS#senders' });
      const run = archive.beginRun();
      const window = (lo: number, sender: (seq: number) => string, extra: Partial<GroupMsg> = {}) =>
        Array.from({ length: 20 }, (_, i) => textMsg(lo + i, `message ${lo + i}`, { From_Account: sender(lo + i), ...extra }));
      archive.storeWindow(gid, 1, 20, window(1, (seq) => `u${seq % 3}`), run);
      // Seq 21-40 first seen as placeholders from no one, then with their content from u7.
      archive.storeWindow(gid, 21, 40, window(21, () => '', { IsPlaceMsg: 1, MsgBody: [] }), run);
      archive.commit();
      archive.storeWindow(gid, 21, 40, window(21, () => 'u7'), run);
      // A window refused as a whole (a Seq outside it) stores nothing and counts nothing.
      expect(() => archive.storeWindow(gid, 41, 60, [...window(41, () => 'u9'), textMsg(99, 'outside')], run)).toThrow(RangeError);
      archive.commit();
      const sums = rowsOf(archive.db, 'SELECT account, messages, first_time, last_time FROM senders WHERE gid = ? ORDER BY account', gid);
      const truth = rowsOf(archive.db, 'SELECT sender, count(*), min(time), max(time) FROM messages WHERE gid = ? GROUP BY sender ORDER BY sender', gid);
      expect(sums).toEqual(truth);
      expect(sums.map((r) => r[0])).toEqual(['u0', 'u1', 'u2', 'u7']);
    } finally {
      await archive.close();
    }
  });
});
