// Each message row carries a checksum (app/archive/checksum.ts): damage inside a record that SQLite's own checks
// pass is found, and a later read of the same Seq from Tencent replaces it when Tencent still has its content.

import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Archive, rowChecksum, rowsOf } from '../../app/archive';
import { damageRow } from './damage';
import { deleted, onCleanup, recalled, tempDir, textMsg } from './helpers';

async function stored(): Promise<{ path: string; gid: number }> {
  const path = join(await tempDir(), 'archive.sqlite');
  const archive = await Archive.open(path, { create: true });
  const gid = archive.upsertGroup({ sdkAppId: 1400000001, groupId: '@TGS#1ROWS' });
  const run = archive.beginRun();
  archive.storeWindow(gid, 1, 6, [textMsg(1, 'hello there'), textMsg(2, 'keep the receipts'), deleted(textMsg(3, '')), textMsg(4, 'secret plan'), textMsg(5, 'the end')], run);
  // Seq 4 is recalled after it was archived: its row keeps the original, with a fresh checksum for the new state.
  archive.storeWindow(gid, 4, 4, [recalled(textMsg(4, 'secret plan'))], archive.beginRun());
  await archive.close();
  return { path, gid };
}

async function reopen(path: string): Promise<Archive> {
  const archive = await Archive.open(path);
  onCleanup(() => archive.close());
  return archive;
}

describe('row checksums', () => {
  it('are the sums archives already hold: head, text and raw summed in turn', () => {
    // What versions before one-call summing wrote into every row; a different value would read as damage.
    const earlier = (values: [number, number, number, string, number, number, number, string, string]) => {
      const [gid, seq, state, sender, time, kinds, isSystem, text, raw] = values;
      return crc32(raw, crc32(text, crc32(`${gid}\u0000${seq}\u0000${state}\u0000${sender}\u0000${time}\u0000${kinds}\u0000${isSystem}\u0000${text.length}\u0000`)));
    };
    const rows: [number, number, number, string, number, number, number, string, string][] = [
      [7, 1, 0, 'u1', 1700000001, 1, 0, 'hello 你好', '{"MsgSeq":1}'],
      [7, 2, 1, '', 1700000002, 0, 0, '', '{"MsgSeq":2,"IsPlaceMsg":1}'],
      [255, 4096, 2, '管理员', 0, 513, 1, '😀 [image] 群名片', '{"MsgSeq":4096,"x":"\\ud800"}'],
    ];
    for (const row of rows) expect(rowChecksum(...row)).toBe(earlier(row));
  });

  it('every row written by the archive matches its checksum, a recalled one included', async () => {
    const { path } = await stored();
    const archive = await reopen(path);
    expect(rowsOf(archive.db, 'SELECT count(*) FROM messages WHERE checksum IS NULL')).toEqual([[0]]);
    expect(archive.damagedRows()).toEqual({ damaged: [], examined: 5 });
  });

  it('finds damage in text, in raw and in a placeholder row, by group and Seq, also chunk by chunk', async () => {
    const { path, gid } = await stored();
    damageRow(path, gid, 1, 'text');
    damageRow(path, gid, 2, 'raw', ['receipts', 'rec3ipts']);
    damageRow(path, gid, 3, 'state');
    const archive = await reopen(path);
    // SQLite's own check sees nothing wrong: the pages are well-formed.
    expect(archive.verify().ok).toBe(true);
    expect(archive.damagedRows().damaged).toEqual([{ gid, seq: 1 }, { gid, seq: 2 }, { gid, seq: 3 }]);
    expect(archive.damagedAmong(gid, [1, 4, 5, 3])).toEqual([1, 3]);
    const first = archive.damagedRows({ gid, limit: 2 });
    expect(first).toEqual({ damaged: [{ gid, seq: 1 }, { gid, seq: 2 }], examined: 2, next: 2 });
    expect(archive.damagedRows({ gid, afterSeq: first.next!, limit: 2 })).toEqual({ damaged: [{ gid, seq: 3 }], examined: 2, next: 4 });
    expect(archive.damagedRows({ gid, afterSeq: 4, limit: 2 })).toEqual({ damaged: [], examined: 1 });
    // Only messages sent since a moment (what a backup checks: those Tencent may still keep).
    expect(archive.damagedRows({ gid, since: 1_700_000_002 })).toEqual({ damaged: [{ gid, seq: 2 }, { gid, seq: 3 }], examined: 4 });
  });

  it("a damaged row read again from Tencent is replaced by the fresh copy, and the change is recorded as a repair", async () => {
    const { path, gid } = await stored();
    damageRow(path, gid, 1, 'text', ['hello', 'jello']);
    damageRow(path, gid, 2, 'raw', ['receipts', 'rec3ipts']);
    damageRow(path, gid, 3, 'state');
    const archive = await reopen(path);
    const run = archive.beginRun();
    expect(archive.storeWindow(gid, 1, 3, [textMsg(1, 'hello there'), textMsg(2, 'keep the receipts'), deleted(textMsg(3, ''))], run)).toEqual({
      inserted: 0,
      unchanged: 0,
      changed: 0,
      repaired: 3,
      damaged: 0,
    });
    expect(rowsOf(archive.db, 'SELECT seq, state, text, raw FROM messages WHERE seq <= 3 ORDER BY seq')).toEqual([
      [1, 0, 'hello there', JSON.stringify(textMsg(1, 'hello there'))],
      [2, 0, 'keep the receipts', JSON.stringify(textMsg(2, 'keep the receipts'))],
      [3, 1, '', JSON.stringify(deleted(textMsg(3, '')))],
    ]);
    expect(rowsOf(archive.db, "SELECT seq, run_id, cause FROM message_changes WHERE cause = 'repaired' ORDER BY seq")).toEqual([
      [1, run, 'repaired'],
      [2, run, 'repaired'],
      [3, run, 'repaired'],
    ]);
    expect(archive.damagedRows().damaged).toEqual([]);
    // Repaired rows are still found by their words, once each.
    expect(rowsOf(archive.db, "SELECT docid FROM message_fts WHERE message_fts MATCH 'receipts'")).toHaveLength(1);
    // Read again: nothing more to do.
    expect(archive.storeWindow(gid, 1, 3, [textMsg(1, 'hello there'), textMsg(2, 'keep the receipts'), deleted(textMsg(3, ''))], run)).toMatchObject({ unchanged: 3, repaired: 0 });
  });

  it('a damaged row whose content Tencent no longer has is kept, and stays reported as damaged', async () => {
    const { path, gid } = await stored();
    damageRow(path, gid, 5, 'text', ['end', 'and']);
    damageRow(path, gid, 4, 'raw', ['secret', 'secr3t']);
    const archive = await reopen(path);
    const run = archive.beginRun();
    // Deleted at Tencent since, and the recalled Seq 4 answers without content: neither may replace what the rows held.
    expect(archive.storeWindow(gid, 4, 5, [recalled(textMsg(4, 'secret plan')), deleted(textMsg(5, 'the end'))], run)).toMatchObject({ repaired: 0, damaged: 2, changed: 0 });
    expect(rowsOf(archive.db, 'SELECT seq, text FROM messages WHERE seq >= 4 ORDER BY seq')).toEqual([
      [4, 'secret plan'],
      [5, 'the and'],
    ]);
    expect(archive.damagedRows().damaged).toEqual([{ gid, seq: 4 }, { gid, seq: 5 }]);
    expect(rowsOf(archive.db, 'SELECT count(*) FROM message_changes WHERE run_id = ?', run)).toEqual([[0]]);
  });
});
