import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { copyFile, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, Archive, ArchiveError, type ArchiveErrorKind, type Db, lockPathOf, rowsOf, SCHEMA_VERSION } from '../../app/archive';
import { damagedRows, fillChecksums, rowChecksum, UNSUMMED_INDEX } from '../../app/archive/checksum';
import { ID_DAY } from '../../app/archive/ids';
import { type Migration, MIGRATIONS, migrate, pragmaNumber } from '../../app/archive/schema';
import { search } from '../../app/search';
import { indexForm, pairWord } from '../../app/search/normalize';
import { tempDir, textMsg } from './helpers';

function emptyDb(): Db {
  return new DatabaseSync(':memory:');
}

function tableColumns(db: Db, table: string): string[] {
  return rowsOf(db, `PRAGMA table_info(${table})`).map((r) => String(r[1]));
}

function names(db: Db, type: 'table' | 'index'): string[] {
  return rowsOf(db, `SELECT name FROM sqlite_master WHERE type = '${type}' AND name NOT LIKE 'sqlite_%' ORDER BY name`).map((r) => String(r[0]));
}

/** A lock left by a process that no longer exists: the writer it names did not close the archive cleanly. */
async function staleLock(path: string): Promise<void> {
  await writeFile(lockPathOf(path), JSON.stringify({ pid: 2 ** 22 + 12345, hostname: hostname(), time: new Date(0).toISOString(), token: 'dead' }));
}

const FIXTURE = fileURLToPath(new URL('./fixtures/v2-sqljs.sqlite', import.meta.url));

/** Opening must fail with `kind` and leave the file byte-for-byte as it was, with nothing new beside it. */
async function expectRefused(path: string, kind: ArchiveErrorKind, opts: { create?: boolean; readOnly?: boolean } = { create: true }): Promise<ArchiveError> {
  const before = await readFile(path);
  const beside = (await readdir(join(path, '..'))).sort();
  const err = await Archive.open(path, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ArchiveError);
  expect((err as ArchiveError).kind).toBe(kind);
  expect((err as ArchiveError).path).toBe(path);
  expect((err as ArchiveError).message).toContain(path);
  expect(Buffer.compare(await readFile(path), before)).toBe(0);
  expect((await readdir(join(path, '..'))).sort()).toEqual(beside);
  return err as ArchiveError;
}

async function archiveFile(dir: string, name = 'a.sqlite'): Promise<string> {
  const path = join(dir, name);
  const archive = await Archive.open(path, { create: true });
  const gid = archive.upsertGroup({ sdkAppId: 1, groupId: 'g' });
  archive.storeWindow(gid, 1, 40, Array.from({ length: 40 }, (_, i) => textMsg(i + 1, `message ${i + 1} 你好`.repeat(20))), archive.beginRun());
  await archive.close();
  return path;
}

describe('schema migrations', () => {
  it('a fresh archive is at the latest version, marked as ours in the file itself, in WAL mode', async () => {
    const dir = await tempDir();
    const path = join(dir, 'new.sqlite');
    const archive = await Archive.open(path, { create: true });
    expect(archive.verification).toBe('created');
    expect(archive.journal).toMatchObject({ mode: 'wal', tellOwner: false });
    expect(pragmaNumber(archive.db, 'user_version')).toBe(SCHEMA_VERSION);
    expect(pragmaNumber(archive.db, 'application_id')).toBe(APPLICATION_ID);
    expect(archive.dirty).toBe(false);
    // The header is in the main file at once (not only in the write-ahead log): the next open checks it first.
    const early = await readFile(path);
    expect(early.readInt32BE(60)).toBe(SCHEMA_VERSION);
    expect(early.readInt32BE(68)).toBe(APPLICATION_ID);
    await archive.close();
    // A clean close leaves nothing beside the archive: SQLite folds the log into the file and removes it.
    expect((await readdir(dir)).sort()).toEqual(['new.sqlite']);
    const header = await readFile(path);
    expect(header[18]).toBe(2); // WAL
    expect(header.readInt32BE(60)).toBe(SCHEMA_VERSION);
    expect(header.readInt32BE(68)).toBe(APPLICATION_ID);
  });

  describe('migration 1: initial schema', () => {
    it('creates every table, index and the contentless FTS4 index, and sets the application id', () => {
      const db = emptyDb();
      expect(migrate(db, MIGRATIONS.slice(0, 1))).toBe(0);
      expect(pragmaNumber(db, 'user_version')).toBe(1);
      expect(pragmaNumber(db, 'application_id')).toBe(APPLICATION_ID);
      expect(names(db, 'table')).toEqual(expect.arrayContaining(['groups', 'members', 'message_changes', 'message_fts', 'messages', 'profiles', 'runs', 'seq_ranges']));
      expect(names(db, 'index')).toEqual(expect.arrayContaining(['messages_gid_time', 'messages_gid_sender', 'message_changes_gid_seq', 'seq_ranges_gid_status_lo']));
      expect(tableColumns(db, 'messages')).toEqual(['id', 'gid', 'seq', 'state', 'sender', 'time', 'kinds', 'is_system', 'text', 'raw', 'first_run', 'last_run']);
      expect(tableColumns(db, 'groups')).toEqual(['gid', 'sdkappid', 'group_id', 'topic_id', 'type', 'name', 'info', 'newest_seq', 'info_at']);
      expect(tableColumns(db, 'seq_ranges')).toEqual(['gid', 'lo', 'hi', 'status', 'run_id', 'at', 'reason']);
      // (gid, seq) is unique, and coverage statuses are constrained.
      db.exec("INSERT INTO messages (gid, seq, state, sender, time, kinds, is_system, text, raw) VALUES (1, 1, 0, 'a', 0, 1, 0, '', '{}')");
      expect(() => db.exec("INSERT INTO messages (gid, seq, state, sender, time, kinds, is_system, text, raw) VALUES (1, 1, 0, 'a', 0, 1, 0, '', '{}')")).toThrow(/UNIQUE/);
      expect(() => db.exec("INSERT INTO seq_ranges (gid, lo, hi, status, at) VALUES (1, 1, 2, 'maybe', 0)")).toThrow(/CHECK/);
      // The tokenizer spec is accepted by this SQLite build and folds accents.
      db.exec("INSERT INTO message_fts (docid, body) VALUES (5, 'Café crème')");
      expect(rowsOf(db, "SELECT docid FROM message_fts WHERE message_fts MATCH 'cafe'")).toEqual([[5]]);
      db.close();
    });
  });

  describe('migration 5: people', () => {
    it('adds name history seeded from the members and profiles a v4 archive holds, and departure columns', () => {
      const db = emptyDb();
      migrate(db, MIGRATIONS.slice(0, 4));
      db.exec(`
        INSERT INTO groups (gid, sdkappid, group_id) VALUES (7, 1400000001, 'g');
        INSERT INTO members (gid, account, name_card, role, join_time, raw, updated_at) VALUES
          (7, 'u1', '老王', 'Owner', 1, '{}', 5000), (7, 'u2', NULL, NULL, NULL, NULL, NULL);
        INSERT INTO profiles (sdkappid, account, nick, updated_at) VALUES (1400000001, 'u1', 'Wang', 6000), (1400000001, 'u3', NULL, 6000);
      `);
      expect(migrate(db, MIGRATIONS.slice(0, 5))).toBe(4);
      expect(pragmaNumber(db, 'user_version')).toBe(5);
      expect(tableColumns(db, 'members')).toEqual(['gid', 'account', 'name_card', 'role', 'join_time', 'raw', 'updated_at', 'first_seen', 'last_seen', 'left_at']);
      expect(tableColumns(db, 'profiles')).toEqual(['sdkappid', 'account', 'nick', 'updated_at', 'image', 'result_code']);
      expect(rowsOf(db, 'SELECT sdkappid, gid, account, field, value, first_seen, last_seen FROM people_history ORDER BY id')).toEqual([
        [1400000001, 7, 'u1', 'card', '老王', 5000, 5000],
        [1400000001, 7, 'u1', 'role', 'Owner', 5000, 5000],
        [1400000001, 0, 'u1', 'nick', 'Wang', 6000, 6000],
      ]);
      expect(rowsOf(db, 'SELECT account, first_seen, last_seen, left_at FROM members ORDER BY account')).toEqual([['u1', 5000, 5000, null], ['u2', 0, 0, null]]);
      expect(rowsOf(db, 'SELECT result_code FROM profiles')).toEqual([[0], [0]]);
      expect(() => db.exec("INSERT INTO people_history (sdkappid, gid, account, field, value, first_seen, last_seen) VALUES (1, 0, 'a', 'mood', 'x', 1, 1)")).toThrow(/CHECK/);
      db.close();
    });
  });

  describe('migration 7: media store', () => {
    it('adds the media and message_media tables to a v6 archive; a stored rendition must name its content', () => {
      const db = emptyDb();
      migrate(db, MIGRATIONS.slice(0, 6));
      expect(migrate(db, MIGRATIONS.slice(0, 7))).toBe(6);
      expect(tableColumns(db, 'media')).toEqual([
        'key', 'uuid', 'rendition', 'kind', 'state', 'url', 'declared_size', 'size', 'sha256', 'mime', 'file_name',
        'first_gid', 'first_seq', 'first_time', 'attempts', 'last_error', 'updated_at',
      ]);
      expect(tableColumns(db, 'message_media')).toEqual(['gid', 'seq', 'ord', 'key']);
      const insert = "INSERT INTO media (key, uuid, rendition, kind, state, first_gid, first_seq, first_time) VALUES ('u:file', 'u', 'file', 'file', ?, 1, 1, 1)";
      expect(() => db.prepare(insert).run('stored')).toThrow(/CHECK/);
      expect(() => db.prepare(insert).run('lost')).toThrow(/CHECK/);
      db.prepare(insert).run('pending');
      expect(rowsOf(db, 'SELECT state, attempts FROM media')).toEqual([['pending', 0]]);
      db.close();
    });
  });

  describe('migration 8: senders', () => {
    it("sums up each group's senders from a v7 archive and swaps the sender index for one by day", () => {
      const db = emptyDb();
      migrate(db, MIGRATIONS.slice(0, 7));
      const day = 86400;
      const insert = db.prepare(
        "INSERT INTO messages (id, gid, seq, state, sender, time, kinds, is_system, text, raw) VALUES (CAST(? AS INTEGER), ?, ?, ?, ?, ?, 1, 0, '', '{}')",
      );
      const row = (gid: number, seq: number, sender: string, time: number, state = 0) => insert.run(time * 2 ** 20 + seq, gid, seq, state, sender, time);
      db.exec("INSERT INTO groups (gid, sdkappid, group_id) VALUES (1, 1400000001, 'a'), (2, 1400000001, 'b')");
      row(1, 1, 'u1', 10 * day);
      row(1, 2, 'u1', 12 * day);
      row(1, 3, 'u2', 11 * day);
      row(2, 1, 'u1', 20 * day);
      expect(migrate(db, MIGRATIONS.slice(0, 8))).toBe(7);
      const sums = () => rowsOf(db, 'SELECT gid, account, messages, first_time, last_time FROM senders ORDER BY gid, account');
      expect(sums()).toEqual([[1, 'u1', 2, 10 * day, 12 * day], [1, 'u2', 1, 11 * day, 11 * day], [2, 'u1', 1, 20 * day, 20 * day]]);
      const indexes = rowsOf(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' ORDER BY name").flat();
      expect(indexes).toContain('messages_gid_day_sender');
      expect(indexes).not.toContain('messages_gid_sender');
      // A day's walk reads the index alone.
      const plan = rowsOf(db, `EXPLAIN QUERY PLAN SELECT id FROM messages WHERE gid = 1 AND id / ${ID_DAY} = 10 AND sender = 'u1'`).map((r) => String(r.at(-1)));
      expect(plan.join(' ')).toMatch(/COVERING INDEX messages_gid_day_sender/);
      db.close();
    });
  });

  describe('migration 9: row checksums', () => {
    it('adds a checksum to every message row of a v8 archive, filled from what each row holds, and a change cause', () => {
      const db = emptyDb();
      migrate(db, MIGRATIONS.slice(0, 8));
      db.exec(`
        INSERT INTO messages (id, gid, seq, state, sender, time, kinds, is_system, text, raw) VALUES
          (1, 7, 1, 0, 'u1', 1700000001, 1, 0, 'hello 你好', '{"MsgSeq":1}'),
          (2, 7, 2, 1, '', 1700000002, 0, 0, '', '{"MsgSeq":2,"IsPlaceMsg":1}');
        INSERT INTO message_changes (gid, seq, at, from_state, to_state, raw) VALUES (7, 2, 1, 0, 1, '{}');
      `);
      expect(migrate(db, MIGRATIONS.slice(0, 9))).toBe(8);
      expect(tableColumns(db, 'messages')).toContain('checksum');
      expect(tableColumns(db, 'message_changes')).toContain('cause');
      // The rows are summed after the migration's transaction, a batch at a time (Archive.open does this).
      expect(rowsOf(db, 'SELECT count(*) FROM messages WHERE checksum IS NULL')).toEqual([[2]]);
      expect(damagedRows(db).damaged).toEqual([]);
      expect(fillChecksums(db, { batch: 1 })).toBe(2);
      expect(names(db, 'index')).not.toContain(UNSUMMED_INDEX);
      expect(fillChecksums(db)).toBe(0);
      expect(rowsOf(db, 'SELECT seq, checksum FROM messages ORDER BY seq')).toEqual([
        [1, rowChecksum(7, 1, 0, 'u1', 1700000001, 1, 0, 'hello 你好', '{"MsgSeq":1}')],
        [2, rowChecksum(7, 2, 1, '', 1700000002, 0, 0, '', '{"MsgSeq":2,"IsPlaceMsg":1}')],
      ]);
      expect(damagedRows(db).damaged).toEqual([]);
      expect(rowsOf(db, 'SELECT cause FROM message_changes')).toEqual([[null]]);
      db.exec("UPDATE messages SET text = 'hellp 你好' WHERE seq = 1");
      expect(damagedRows(db).damaged).toEqual([{ gid: 7, seq: 1 }]);
      db.close();
    });

    /** A v8 archive file of `rows` messages of about 1 kB each, as the release before checksums left it. */
    async function v8Archive(dir: string, name: string, rows: number): Promise<string> {
      const path = join(dir, name);
      const db = new DatabaseSync(path);
      db.exec(`PRAGMA journal_mode = WAL; PRAGMA application_id = ${APPLICATION_ID}`);
      migrate(db, MIGRATIONS.slice(0, 8));
      db.exec("INSERT INTO groups (gid, sdkappid, group_id) VALUES (1, 1400000001, 'big')");
      const insert = db.prepare("INSERT INTO messages (id, gid, seq, state, sender, time, kinds, is_system, text, raw) VALUES (?, 1, ?, 0, 'u1', ?, 1, 0, ?, ?)");
      db.exec('BEGIN');
      for (let seq = 1; seq <= rows; seq++) {
        const text = `message ${seq} ${randomBytes(300).toString('base64')}`;
        insert.run(seq, seq, 1_700_000_000 + seq, text, JSON.stringify({ MsgSeq: seq, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }] }));
      }
      db.exec('COMMIT');
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      db.close();
      return path;
    }

    it('an upgrade sums a big archive a batch per transaction: the write-ahead log stays near one batch, not the table', async () => {
      const dir = await tempDir();
      const rows = 6000;
      const batched = await v8Archive(dir, 'batched.sqlite', rows);
      const sizes: number[] = [];
      const b = await Archive.open(batched, { checksumFill: { batch: 500, onBatch: () => sizes.push(statSync(`${batched}-wal`).size) } });
      try {
        expect(sizes.length).toBe(Math.ceil((rows + 1) / 500));
        expect(rowsOf(b.db, 'SELECT count(*) FROM messages WHERE checksum IS NULL')).toEqual([[0]]);
        expect(rowsOf(b.db, "SELECT count(*) FROM sqlite_master WHERE name = 'messages_unsummed'")).toEqual([[0]]);
        expect(damagedRows(b.db).damaged).toEqual([]);
        expect(pragmaNumber(b.db, 'user_version')).toBe(SCHEMA_VERSION);
      } finally {
        await b.close();
      }
      // The baseline: every row in one transaction, as the migration's one UPDATE did.
      const oneBatch = await v8Archive(dir, 'one-batch.sqlite', rows);
      const tableBytes = (await stat(oneBatch)).size;
      const single: number[] = [];
      await (await Archive.open(oneBatch, { checksumFill: { batch: rows + 1, onBatch: () => single.push(statSync(`${oneBatch}-wal`).size) } })).close();
      // One transaction rewrites every page of the table into the log; a batch of 500 a twelfth of them.
      expect(Math.max(...single)).toBeGreaterThan(tableBytes * 0.5);
      expect(Math.max(...sizes)).toBeLessThan(Math.max(...single) / 4);
    });

    it('an interrupted fill leaves rows "not yet summed", which read as intact, and the next writer finishes it', async () => {
      const dir = await tempDir();
      const path = await v8Archive(dir, 'interrupted.sqlite', 1200);
      let batches = 0;
      const stopped = await Archive.open(path, {
        checksumFill: {
          batch: 500,
          onBatch: () => {
            if (++batches === 1) throw new Error('power cut');
          },
        },
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(stopped).toBeInstanceOf(Error);
      const reader = await Archive.open(path, { readOnly: true });
      try {
        expect(rowsOf(reader.db, 'SELECT count(*) FROM messages WHERE checksum IS NULL')).toEqual([[700]]);
        // Nothing vouches for those rows yet, and nothing says they are damaged.
        expect(damagedRows(reader.db).damaged).toEqual([]);
      } finally {
        await reader.close();
      }
      const writer = await Archive.open(path);
      try {
        expect(rowsOf(writer.db, 'SELECT count(*) FROM messages WHERE checksum IS NULL')).toEqual([[0]]);
        expect(names(writer.db, 'index')).not.toContain('messages_unsummed');
        writer.db.exec("UPDATE messages SET text = 'changed' WHERE seq = 1000");
        expect(damagedRows(writer.db).damaged).toEqual([{ gid: 1, seq: 1000 }]);
      } finally {
        await writer.close();
      }
    });
  });

  describe('migration 10: avatars in the media store', () => {
    it("gives people_history a media key; a v9 archive's avatar period gets its file when the profile is next read", async () => {
      const path = join(await tempDir(), 'v9.sqlite');
      const db = new DatabaseSync(path);
      migrate(db, MIGRATIONS.slice(0, 9));
      db.exec(`
        INSERT INTO groups (gid, sdkappid, group_id) VALUES (7, 1400000001, 'g');
        INSERT INTO profiles (sdkappid, account, nick, image, updated_at) VALUES (1400000001, 'u1', 'Wang', 'https://cdn.example.com/u1.png', 5000);
        INSERT INTO people_history (sdkappid, gid, account, field, value, first_seen, last_seen) VALUES
          (1400000001, 0, 'u1', 'nick', 'Wang', 5000, 5000), (1400000001, 0, 'u1', 'avatar', 'https://cdn.example.com/u1.png', 5000, 5000);
      `);
      expect(migrate(db, MIGRATIONS.slice(0, 10))).toBe(9);
      expect(tableColumns(db, 'people_history')).toEqual(['id', 'sdkappid', 'gid', 'account', 'field', 'value', 'first_seen', 'last_seen', 'media_key']);
      expect(rowsOf(db, 'SELECT field, value, media_key FROM people_history ORDER BY id')).toEqual([
        ['nick', 'Wang', null],
        ['avatar', 'https://cdn.example.com/u1.png', null],
      ]);
      db.close();
      const archive = await Archive.open(path);
      archive.upsertProfiles(1400000001, [{ account: 'u1', nick: 'Wang', image: 'https://cdn.example.com/u1.png', resultCode: 0 }], { at: 9000 });
      expect(rowsOf(archive.db, "SELECT value, first_seen, last_seen, media_key FROM people_history WHERE field = 'avatar'")).toEqual([
        ['https://cdn.example.com/u1.png', 5000, 9000, 'https://cdn.example.com/u1.png:avatar'],
      ]);
      expect(rowsOf(archive.db, 'SELECT key, rendition, kind, state, url, first_gid FROM media')).toEqual([
        ['https://cdn.example.com/u1.png:avatar', 'avatar', 'image', 'pending', 'https://cdn.example.com/u1.png', 0],
      ]);
      await archive.close();
    });
  });

  describe('migration 11: pair words of common Chinese characters', () => {
    const texts = ['我们的人都来了', '他们的人', '人们的我', 'hello 大家'];

    /** A v10 archive whose index rows are what indexForm wrote before pair words. */
    function v10Archive(path: string): void {
      const db = new DatabaseSync(path);
      db.exec(`PRAGMA journal_mode = WAL; PRAGMA application_id = ${APPLICATION_ID}`);
      migrate(db, MIGRATIONS.slice(0, 10));
      db.exec("INSERT INTO groups (gid, sdkappid, group_id) VALUES (1, 1400000001, 'g')");
      const insert = db.prepare("INSERT INTO messages (id, gid, seq, state, sender, time, kinds, is_system, text, raw, checksum) VALUES (?, 1, ?, 0, 'u1', ?, 1, 0, ?, ?, NULL)");
      const fts = db.prepare('INSERT INTO message_fts (docid, body) VALUES (CAST(? AS INTEGER), ?)');
      texts.forEach((text, i) => {
        const msg = textMsg(i + 1, text);
        insert.run(ID_DAY + i, i + 1, msg.MsgTimeStamp, text, JSON.stringify(msg));
        fts.run(ID_DAY + i, indexForm(text).replace(/ zzp[0-9a-f]{8}/gu, ''));
      });
      db.close();
    }

    const pairHits = (db: Db, first: string, second: string) =>
      rowsOf(db, 'SELECT docid FROM message_fts WHERE message_fts MATCH ? ORDER BY docid', `"${pairWord(first, second)}"`).map((r) => Number(r[0]) - ID_DAY);

    it('an empty archive has every pair from the start; rows indexed before get theirs a batch at a time, and search asks for pairs only after', async () => {
      const fresh = await Archive.open(join(await tempDir(), 'fresh.sqlite'), { create: true });
      expect(fresh.indexHasPairs).toBe(true);
      await fresh.close();

      const path = join(await tempDir(), 'v10.sqlite');
      v10Archive(path);
      const stopped = await Archive.open(path, { pairsFill: { batch: 2, onBatch: () => { throw new Error('power cut'); } } }).then(() => undefined, (e: unknown) => e);
      expect(stopped).toBeInstanceOf(Error);
      const reader = await Archive.open(path, { readOnly: true });
      try {
        expect(pragmaNumber(reader.db, 'user_version')).toBe(11);
        expect(reader.indexHasPairs).toBe(false);
        // The first batch (two messages) has its pairs, the rest not yet; search finds all through the characters.
        expect(pairHits(reader.db, '的', '人')).toEqual([0, 1]);
        expect(pairHits(reader.db, '人', '们')).toEqual([]);
        expect(search(reader, '人们').hits.map((h) => h.seq)).toEqual([3]);
      } finally {
        await reader.close();
      }
      let batches = 0;
      const writer = await Archive.open(path, { pairsFill: { batch: 2, onBatch: () => batches++ } });
      try {
        expect(batches).toBe(2);
        expect(writer.indexHasPairs).toBe(true);
        expect(pairHits(writer.db, '的', '人')).toEqual([0, 1]);
        expect(pairHits(writer.db, '人', '们')).toEqual([2]);
        expect(pairHits(writer.db, '我', '们')).toEqual([0]);
        expect(search(writer, '我们的人').hits.map((h) => h.seq)).toEqual([1]);
        expect(search(writer, '们的').hits.map((h) => h.seq).sort()).toEqual([1, 2, 3]);
        expect(search(writer, '大家').hits.map((h) => h.seq)).toEqual([4]);
      } finally {
        await writer.close();
      }
    });
  });

  it('runs only the migrations a database lacks, each in its own transaction', () => {
    const db = emptyDb();
    migrate(db);
    const v2: Migration = { name: 'add a column', up: (d) => d.exec('ALTER TABLE runs ADD COLUMN note TEXT') };
    expect(migrate(db, [...MIGRATIONS, v2])).toBe(SCHEMA_VERSION);
    expect(pragmaNumber(db, 'user_version')).toBe(SCHEMA_VERSION + 1);
    expect(tableColumns(db, 'runs')).toContain('note');
    expect(migrate(db, [...MIGRATIONS, v2])).toBe(SCHEMA_VERSION + 1);
    db.close();
  });

  it('a failing migration leaves the database at the version before it', () => {
    const db = emptyDb();
    migrate(db);
    const broken: Migration = {
      name: 'half done',
      up: (d) => {
        d.exec('CREATE TABLE half (x)');
        d.exec('INSERT INTO no_such_table VALUES (1)');
      },
    };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow(`migration ${SCHEMA_VERSION + 1} (half done) failed`);
    expect(pragmaNumber(db, 'user_version')).toBe(SCHEMA_VERSION);
    expect(names(db, 'table')).not.toContain('half');
    db.close();
  });
});

describe('opening files that are not (our current) archives', () => {
  it('a file from a newer version is refused as too-new, untouched', async () => {
    const dir = await tempDir();
    const path = await archiveFile(dir);
    const db = new DatabaseSync(path);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const err = await expectRefused(path, 'too-new');
    expect(err.message).toMatch(/newer version/);
    await expectRefused(path, 'too-new', { readOnly: true });
  });

  it('an SQLite database of another program is refused as foreign, untouched', async () => {
    const dir = await tempDir();
    const path = join(dir, 'other.db');
    const db = new DatabaseSync(path);
    db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
    db.close();
    const err = await expectRefused(path, 'foreign');
    expect(err.message).toMatch(/not a TIM Group Backup archive/);
    await expectRefused(path, 'foreign', { readOnly: true });
    // In WAL mode too: refused from its header, before SQLite could create its -wal and -shm beside it.
    const wal = new DatabaseSync(path);
    wal.exec('PRAGMA journal_mode = WAL');
    wal.close();
    await expectRefused(path, 'foreign');
    await expectRefused(path, 'foreign', { readOnly: true });
  });

  it('random bytes, a cut-short archive and (after an unclean shutdown) damaged pages are refused as corrupt, untouched', async () => {
    const dir = await tempDir();
    const random = join(dir, 'random.sqlite');
    await writeFile(random, randomBytes(64 * 1024));
    await expectRefused(random, 'corrupt');
    await expectRefused(random, 'corrupt', { readOnly: true });

    const dir2 = await tempDir();
    const path = await archiveFile(dir2);
    const whole = await readFile(path);
    const copy = join(await tempDir(), 'copy.sqlite');
    await writeFile(copy, whole);
    const stat = new DatabaseSync(copy, { readOnly: true });
    const schemaPages = rowsOf(stat, "SELECT pageno FROM dbstat WHERE name = 'sqlite_schema'").map((r) => Number(r[0]));
    const [[pageSize]] = rowsOf(stat, 'PRAGMA page_size') as [[number]];
    stat.close();
    await writeFile(path, whole.subarray(0, Math.floor(whole.length / 2)));
    await expectRefused(path, 'corrupt');
    await writeFile(path, whole.subarray(0, whole.length - 100));
    await expectRefused(path, 'corrupt');

    // Header intact, b-tree pages overwritten: only SQLite's own check can tell. It runs when the last writer
    // did not close cleanly (its lock is left behind), and on demand. The schema's own pages stay intact (as the
    // schema grows they are not only the first two), or the file could not be opened at all.
    const damaged = Buffer.from(whole);
    randomBytes(damaged.length - 8192).copy(damaged, 8192);
    for (const page of schemaPages) whole.copy(damaged, (page - 1) * pageSize, (page - 1) * pageSize, page * pageSize);
    await writeFile(path, damaged);
    const reader = await Archive.open(path, { readOnly: true });
    const report = reader.verify();
    expect(report.ok).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);
    await reader.close();
    // A read-only connection cannot remove the (empty) -wal and -shm it made; the lock is taken over and released.
    await rm(`${path}-wal`);
    await rm(`${path}-shm`);
    await staleLock(path);
    const err = await Archive.open(path).then(() => undefined, (e: unknown) => e as ArchiveError);
    expect(err).toMatchObject({ kind: 'corrupt' });
    expect(Buffer.compare(await readFile(path), damaged)).toBe(0);
    expect(await readdir(dir2)).toEqual(['a.sqlite']);
    expect(err!.message).toMatch(/left untouched/);
    expect(err!.message).toMatch(/integrity check failed after an unclean shutdown/);
  });

  it('an empty file is "not an archive yet": created in its place by a writer, named as empty for a reader', async () => {
    const dir = await tempDir();
    const path = join(dir, 'empty.sqlite');
    await writeFile(path, '');
    await expect(Archive.open(path, { readOnly: true })).rejects.toMatchObject({ kind: 'not-found', message: expect.stringMatching(/empty file, not an archive yet/) });
    await expect(Archive.open(path)).rejects.toMatchObject({ kind: 'not-found' });
    expect((await readFile(path)).length).toBe(0);
    const archive = await Archive.open(path, { create: true });
    expect(archive.verification).toBe('created');
    await archive.close();
    expect((await readFile(path)).readInt32BE(68)).toBe(APPLICATION_ID);
  });

  it("an archive whose last writer died opens after SQLite's integrity check", async () => {
    const dir = await tempDir();
    const path = await archiveFile(dir);
    const clean = await Archive.open(path);
    expect(clean.verification).toBe('opened');
    await clean.close();
    await staleLock(path);
    const archive = await Archive.open(path);
    expect(archive.verification).toBe('checked');
    await archive.close();
  });

  it('a missing file is not-found unless created; a missing folder is named', async () => {
    const dir = await tempDir();
    await expect(Archive.open(join(dir, 'none.sqlite'), { readOnly: true })).rejects.toMatchObject({ kind: 'not-found' });
    await expect(Archive.open(join(dir, 'none.sqlite'))).rejects.toMatchObject({ kind: 'not-found' });
    expect(await readdir(dir)).toEqual([]);
    await expect(Archive.open(join(dir, 'no-folder', 'a.sqlite'), { readOnly: true })).rejects.toMatchObject({ kind: 'not-found' });
    await expect(Archive.open(join(dir, 'no-folder', 'a.sqlite'), { create: true })).rejects.toMatchObject({
      kind: 'not-found',
      message: expect.stringContaining(join(dir, 'no-folder')),
    });
  });
});

describe('an archive written by the sql.js release (schema v2)', () => {
  async function copyFixture(): Promise<string> {
    const dir = await tempDir();
    const path = join(dir, 'old.sqlite');
    await copyFile(FIXTURE, path);
    await copyFile(`${FIXTURE}.seal`, `${path}.seal`);
    await writeFile(`${path}.shadow`, 'a leftover shadow copy');
    return path;
  }

  function everything(db: Db) {
    return {
      messages: rowsOf(db, 'SELECT id, gid, seq, state, sender, time, kinds, is_system, text, raw, first_run, last_run FROM messages ORDER BY id'),
      changes: rowsOf(db, 'SELECT gid, seq, run_id, at, from_state, to_state, raw FROM message_changes ORDER BY id'),
      ranges: rowsOf(db, 'SELECT gid, lo, hi, status, run_id, at, reason FROM seq_ranges ORDER BY gid, status, lo'),
      groups: rowsOf(db, 'SELECT * FROM groups ORDER BY gid'),
      // The columns v2 had (later versions added columns, unknown for older rows).
      runs: rowsOf(db, 'SELECT run_id, started_at, finished_at, outcome, summary FROM runs ORDER BY run_id'),
      members: rowsOf(db, 'SELECT gid, account, name_card, role, join_time, raw, updated_at FROM members ORDER BY gid, account'),
      profiles: rowsOf(db, 'SELECT sdkappid, account, nick, updated_at FROM profiles ORDER BY sdkappid, account'),
    };
  }

  it('opens for writing, is upgraded in place to WAL and the current schema, keeps every row, and loses its old side files', async () => {
    const path = await copyFixture();
    const before = new DatabaseSync(path, { readOnly: true });
    const old = everything(before);
    expect(pragmaNumber(before, 'user_version')).toBe(2);
    expect(old.messages.length).toBe(26);
    before.close();

    const archive = await Archive.open(path);
    expect(pragmaNumber(archive.db, 'user_version')).toBe(SCHEMA_VERSION);
    expect(everything(archive.db)).toEqual(old);
    expect(archive.journal.mode).toBe('wal');
    const gid = archive.groups().find((g) => g.groupId === '@TGS#1FIXTURE')!.gid;
    expect(archive.stats(gid)).toMatchObject({ recalled: 1, placeholders: 1, expired: 10, failed: 10 });
    // The full-text index carried over: Chinese substrings and accent-folded Latin words are found.
    expect(search(archive, '世界').hits.map((h) => h.seq)).toEqual([21]);
    expect(search(archive, 'cafe').hits.length).toBe(10);
    expect(search(archive, '撤回').hits.map((h) => h.seq)).toEqual([30]);
    // Emoji became searchable after that release (schema v4 rebuilt the index): the old archive's are found too.
    expect(search(archive, '👍').hits.map((h) => [h.groupId, h.seq])).toEqual([['@TGS#_community', 16]]);
    const thumbsUp = rowsOf(archive.db, "SELECT m.seq FROM message_fts JOIN messages m ON m.id = message_fts.docid WHERE message_fts MATCH ?", indexForm('👍'));
    expect(thumbsUp).toEqual([[16]]);
    // It keeps working as an archive: a new window is stored and found.
    archive.storeWindow(gid, 61, 80, [textMsg(61, '升级以后的新消息')], archive.beginRun());
    await archive.close();
    expect((await readdir(join(path, '..'))).sort()).toEqual(['old.sqlite']);
    const header = await readFile(path);
    expect(header.readInt32BE(60)).toBe(SCHEMA_VERSION);
    expect(header[18]).toBe(2);
    const again = await Archive.open(path, { readOnly: true });
    expect(search(again, '新消息').hits.map((h) => h.seq)).toEqual([61]);
    await again.close();
  });

  it('a read-only open (tim-backup search on an old archive) upgrades it first when no backup holds it', async () => {
    const path = await copyFixture();
    const reader = await Archive.open(path, { readOnly: true });
    expect(pragmaNumber(reader.db, 'user_version')).toBe(SCHEMA_VERSION);
    expect(search(reader, '你好').hits.map((h) => h.seq)).toEqual([21]);
    await reader.close();
  });
});
