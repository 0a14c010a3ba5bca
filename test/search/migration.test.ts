// Schema v2 (time-major message ids, newest-first full-text index) upgrades an archive written by v1: every row
// keeps its content under a time-ordered id, the index is rebuilt for the new ids, and search works on it.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { Archive, rowsOf, valueOf } from '../../app/archive';
import { describe as describeMsg, placeState } from '../../app/archive/extract';
import { SLOTS_PER_SECOND } from '../../app/archive/ids';
import { MIGRATIONS, migrate, pragmaNumber } from '../../app/archive/schema';
import type { GroupMsg } from '../../app/im/wire';
import { search } from '../../app/search';
import { indexForm } from '../../app/search/normalize';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const T0 = 1_700_000_000;
const text = (seq: number, t: string, time: number, extra: Partial<GroupMsg> = {}): GroupMsg => ({
  From_Account: 'u',
  IsPlaceMsg: 0,
  MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }],
  MsgRandom: seq,
  MsgSeq: seq,
  MsgTimeStamp: time,
  ...extra,
});

/** A v1 archive as v1 wrote it: ids in insertion order (here: newest first), docid = id. */
async function v1Archive(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tim-search-migration-'));
  dirs.push(dir);
  const path = join(dir, 'v1.sqlite');
  const db = new DatabaseSync(path);
  migrate(db, MIGRATIONS.slice(0, 1));
  db.exec("INSERT INTO groups (gid, sdkappid, group_id) VALUES (1, 1400000004, 'g'), (2, 1400000004, 'h')");
  const msgs: [number, GroupMsg][] = [
    [1, text(3, '你好 newest', T0 + 30)],
    [1, text(2, '大家你好啊', T0 + 20)],
    [2, text(1, 'same second other group 你好', T0 + 20)],
    [1, text(1, '你好 oldest', T0 + 10)],
    [1, { ...text(4, '', T0 + 40), IsPlaceMsg: 1, MsgBody: [] }],
  ];
  msgs.forEach(([gid, m], i) => {
    const d = describeMsg(m);
    db.prepare('INSERT INTO messages (id, gid, seq, state, sender, time, kinds, is_system, text, raw) VALUES (CAST(? AS INTEGER), ?, ?, ?, ?, ?, ?, 0, ?, ?)').run(
      i + 1, gid, m.MsgSeq, placeState(m), d.sender, d.time, d.kinds, d.text, JSON.stringify(m),
    );
    if (placeState(m) === 0) db.prepare('INSERT INTO message_fts (docid, body) VALUES (CAST(? AS INTEGER), ?)').run(i + 1, indexForm(d.searchable));
  });
  db.close();
  return path;
}

describe('migration 2: time-major ids and a newest-first index', () => {
  it('renumbers every message by time, rebuilds the index for the new ids, and search works', async () => {
    const path = await v1Archive();
    const archive = await Archive.open(path);
    try {
      const db = archive.db;
      expect(pragmaNumber(db, 'user_version')).toBe(MIGRATIONS.length);
      const rows = rowsOf(db, 'SELECT id, gid, seq, time FROM messages ORDER BY id').map((r) => r.map(Number));
      expect(rows.map(([, gid, seq]) => `${gid}:${seq}`)).toEqual(['1:1', '2:1', '1:2', '1:3', '1:4']);
      for (const [id, , , time] of rows) expect(Math.floor(id! / SLOTS_PER_SECOND)).toBe(time);
      expect(String(valueOf(db, "SELECT sql FROM sqlite_master WHERE name = 'message_fts'"))).toMatch(/order=DESC/u);
      const docids = rowsOf(db, "SELECT docid FROM message_fts WHERE message_fts MATCH '\"你 好\"' ORDER BY docid DESC").map((r) => Number(r[0]));
      expect(docids).toEqual([rows[3]![0], rows[2]![0], rows[1]![0], rows[0]![0]]);
      expect(search(archive, '你好').hits.map((h) => `${h.groupId}:${h.seq}`)).toEqual(['g:3', 'g:2', 'h:1', 'g:1']);
      // New messages take time-major ids next to the migrated ones.
      archive.storeWindow(1, 5, 5, [text(5, '你好 between', T0 + 25)], archive.beginRun());
      expect(search(archive, '你好').hits.map((h) => `${h.groupId}:${h.seq}`)).toEqual(['g:3', 'g:5', 'g:2', 'h:1', 'g:1']);
    } finally {
      await archive.close();
    }
  });
});
