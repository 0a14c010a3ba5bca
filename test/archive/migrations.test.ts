import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, Archive, ArchiveError, type ArchiveErrorKind, SCHEMA_VERSION } from '../../app/archive';
import { type Migration, MIGRATIONS, migrate, pragmaNumber } from '../../app/archive/schema';
import { loadSqlJs } from '../../app/archive/sqljs';
import { tempDir, textMsg } from './helpers';

async function emptyDb(): Promise<Database> {
  const SQL = await loadSqlJs();
  return new SQL.Database();
}

function tableColumns(db: Database, table: string): string[] {
  return (db.exec(`PRAGMA table_info(${table})`)[0]?.values ?? []).map((r) => String(r[1]));
}

function names(db: Database, type: 'table' | 'index'): string[] {
  return (db.exec(`SELECT name FROM sqlite_master WHERE type = '${type}' AND name NOT LIKE 'sqlite_%' ORDER BY name`)[0]?.values ?? []).map((r) => String(r[0]));
}

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
  await archive.close({ checkpoint: true });
  return path;
}

describe('schema migrations', () => {
  it('a fresh archive is at the latest version, marked as ours, and saved at once', async () => {
    const dir = await tempDir();
    const path = join(dir, 'new.sqlite');
    const archive = await Archive.open(path, { create: true });
    expect(pragmaNumber(archive.db, 'user_version')).toBe(SCHEMA_VERSION);
    expect(pragmaNumber(archive.db, 'application_id')).toBe(APPLICATION_ID);
    expect(archive.dirty).toBe(false);
    await archive.close();
    const header = await readFile(path);
    expect(header.readInt32BE(60)).toBe(SCHEMA_VERSION);
    expect(header.readInt32BE(68)).toBe(APPLICATION_ID);
  });

  describe('migration 1: initial schema', () => {
    it('creates every table, index and the contentless FTS4 index, and sets the application id', async () => {
      const db = await emptyDb();
      expect(migrate(db, MIGRATIONS.slice(0, 1))).toBe(0);
      expect(pragmaNumber(db, 'user_version')).toBe(1);
      expect(pragmaNumber(db, 'application_id')).toBe(APPLICATION_ID);
      expect(names(db, 'table')).toEqual(expect.arrayContaining(['groups', 'members', 'message_changes', 'message_fts', 'messages', 'profiles', 'runs', 'seq_ranges']));
      expect(names(db, 'index')).toEqual(expect.arrayContaining(['messages_gid_time', 'messages_gid_sender', 'message_changes_gid_seq', 'seq_ranges_gid_status_lo']));
      expect(tableColumns(db, 'messages')).toEqual(['id', 'gid', 'seq', 'state', 'sender', 'time', 'kinds', 'is_system', 'text', 'raw', 'first_run', 'last_run']);
      expect(tableColumns(db, 'groups')).toEqual(['gid', 'sdkappid', 'group_id', 'topic_id', 'type', 'name', 'info', 'newest_seq', 'info_at']);
      expect(tableColumns(db, 'seq_ranges')).toEqual(['gid', 'lo', 'hi', 'status', 'run_id', 'at', 'reason']);
      // (gid, seq) is unique, and coverage statuses are constrained.
      db.run("INSERT INTO messages (gid, seq, state, sender, time, kinds, is_system, text, raw) VALUES (1, 1, 0, 'a', 0, 1, 0, '', '{}')");
      expect(() => db.run("INSERT INTO messages (gid, seq, state, sender, time, kinds, is_system, text, raw) VALUES (1, 1, 0, 'a', 0, 1, 0, '', '{}')")).toThrow(/UNIQUE/);
      expect(() => db.run("INSERT INTO seq_ranges (gid, lo, hi, status, at) VALUES (1, 1, 2, 'maybe', 0)")).toThrow(/CHECK/);
      // The tokenizer spec is accepted by this sql.js build and folds accents.
      db.run("INSERT INTO message_fts (docid, body) VALUES (5, 'Café crème')");
      expect(db.exec("SELECT docid FROM message_fts WHERE message_fts MATCH 'cafe'")[0]?.values).toEqual([[5]]);
      db.close();
    });
  });

  it('runs only the migrations a database lacks, each in its own transaction', async () => {
    const db = await emptyDb();
    migrate(db);
    const v2: Migration = { name: 'add a column', up: (d) => d.run('ALTER TABLE runs ADD COLUMN note TEXT') };
    expect(migrate(db, [...MIGRATIONS, v2])).toBe(SCHEMA_VERSION);
    expect(pragmaNumber(db, 'user_version')).toBe(SCHEMA_VERSION + 1);
    expect(tableColumns(db, 'runs')).toContain('note');
    expect(migrate(db, [...MIGRATIONS, v2])).toBe(SCHEMA_VERSION + 1);
    db.close();
  });

  it('a failing migration leaves the database at the version before it', async () => {
    const db = await emptyDb();
    migrate(db);
    const broken: Migration = {
      name: 'half done',
      up: (d) => {
        d.run('CREATE TABLE half (x)');
        d.run('INSERT INTO no_such_table VALUES (1)');
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
    const SQL = await loadSqlJs();
    const db = new SQL.Database(await readFile(path));
    db.run(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    await writeFile(path, db.export());
    db.close();
    const err = await expectRefused(path, 'too-new');
    expect(err.message).toMatch(/newer version/);
    await expectRefused(path, 'too-new', { readOnly: true });
  });

  it('an SQLite database of another program is refused as foreign, untouched', async () => {
    const dir = await tempDir();
    const path = join(dir, 'other.db');
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
    await writeFile(path, db.export());
    db.close();
    const err = await expectRefused(path, 'foreign');
    expect(err.message).toMatch(/not a TIM Group Backup archive/);
  });

  it('random bytes, an empty file, a cut-short archive and damaged pages are refused as corrupt, untouched', async () => {
    const dir = await tempDir();
    const random = join(dir, 'random.sqlite');
    await writeFile(random, randomBytes(64 * 1024));
    await expectRefused(random, 'corrupt');
    await writeFile(random, '');
    await expectRefused(random, 'corrupt');

    const dir2 = await tempDir();
    const path = await archiveFile(dir2);
    const whole = await readFile(path);
    await writeFile(path, whole.subarray(0, Math.floor(whole.length / 2)));
    await expectRefused(path, 'corrupt');
    await writeFile(path, whole.subarray(0, whole.length - 100));
    await expectRefused(path, 'corrupt');

    // Header intact, b-tree pages overwritten: only SQLite's own check can tell.
    const damaged = Buffer.from(whole);
    randomBytes(damaged.length - 8192).copy(damaged, 8192);
    await writeFile(path, damaged);
    const err = await expectRefused(path, 'corrupt');
    expect(err.message).toMatch(/left untouched/);
  });

  it('a missing file is not-found unless created; a missing folder is named', async () => {
    const dir = await tempDir();
    await expect(Archive.open(join(dir, 'none.sqlite'), { readOnly: true })).rejects.toMatchObject({ kind: 'not-found' });
    await expect(Archive.open(join(dir, 'none.sqlite'))).rejects.toMatchObject({ kind: 'not-found' });
    expect(await readdir(dir)).toEqual([]);
    await expect(Archive.open(join(dir, 'no-folder', 'a.sqlite'), { create: true })).rejects.toMatchObject({
      kind: 'not-found',
      message: expect.stringContaining(join(dir, 'no-folder')),
    });
  });
});
