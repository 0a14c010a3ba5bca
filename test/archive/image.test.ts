import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { describe, expect, it } from 'vitest';
import { LiveImage, readImage, withHeadroom } from '../../app/archive/image';
import { pageContent } from '../../app/archive/pages';
import { loadSqlJs } from '../../app/archive/sqljs';
import { tempDir } from './helpers';

async function seeded(): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec('CREATE TABLE t (x TEXT)');
  const image = db.export();
  db.close();
  return image;
}

function fill(db: Database, rows: number): void {
  db.exec('BEGIN');
  for (let i = 0; i < rows; i++) db.run('INSERT INTO t VALUES (?)', [`row ${i} `.repeat(40)]);
  db.exec('COMMIT');
}

/** The captured file opens, passes quick_check and holds every row. */
async function expectWhole(bytes: Uint8Array, rows: number): Promise<void> {
  const SQL = await loadSqlJs();
  const copy = new SQL.Database(Uint8Array.from(bytes));
  expect(copy.exec('PRAGMA quick_check')[0]!.values).toEqual([['ok']]);
  expect(copy.exec('SELECT count(*) FROM t')[0]!.values).toEqual([[rows]]);
  copy.close();
}

describe('the live database image', () => {
  it('with headroom, SQLite writes into our buffer and a capture is the committed database, in that buffer', async () => {
    const SQL = await loadSqlJs();
    const buffer = withHeadroom(await seeded(), 4 << 20);
    const db = new SQL.Database(buffer);
    const image = new LiveImage(buffer);
    fill(db, 2000);
    const first = image.capture(db)!;
    expect(first).toBeDefined();
    expect(first.buffer).toBe(buffer.buffer);
    expect(first.length).toBe(db.export().length);
    await expectWhole(first, 2000);
    fill(db, 10);
    await expectWhole(image.capture(db)!, 2010);
    db.close();
  });

  it('falls back (undefined) once the database outgrows the buffer, and for a buffer sql.js copied', async () => {
    const SQL = await loadSqlJs();
    const buffer = withHeadroom(await seeded(), 64 * 1024);
    const db = new SQL.Database(buffer);
    const image = new LiveImage(buffer);
    fill(db, 10);
    expect(image.capture(db)).toBeDefined();
    fill(db, 2000);
    expect(image.capture(db)).toBeUndefined();
    fill(db, 10);
    expect(image.capture(db)).toBeUndefined();
    db.close();

    // A plain Uint8Array is copied by sql.js: the buffer we hold is not the database.
    const plain = Uint8Array.from(await seeded());
    const copied = new SQL.Database(plain);
    expect(new LiveImage(Buffer.from(plain.buffer)).capture(copied)).toBeUndefined();
    copied.close();
  });
});

describe('reading the file', () => {
  it('reads a file of many chunks exactly, with concurrent reads, checksumming pages as they arrive', async () => {
    const path = join(await tempDir(), 'big.bin');
    const db = await seeded();
    // A database header (page size 4096) over 40 MB of random pages: many chunks, read out of order.
    const bytes = Buffer.concat([db.subarray(0, 100), randomBytes((40 << 20) + 3 * 4096 - 100)]);
    await writeFile(path, bytes);
    const read = await readImage(path, 1 << 20);
    expect(Buffer.compare(read.image, bytes)).toBe(0);
    expect(read.content!.crcs).toEqual(pageContent(bytes, 4096).crcs);
    // Its header does not vouch for this length: sql.js gets the file alone.
    expect(read.buffer.length).toBe(bytes.length);

    await writeFile(path, db);
    const roomy = await readImage(path, 1 << 20);
    expect(Buffer.compare(roomy.image, db)).toBe(0);
    expect(roomy.buffer.length).toBe(db.length + (1 << 20));

    // No valid page size, or one that does not divide the file: nothing to checksum (opening refuses it).
    await writeFile(path, randomBytes(5000));
    expect((await readImage(path, 0)).content).toBeUndefined();
  });
});
