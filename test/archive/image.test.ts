import type { Database } from 'sql.js';
import { describe, expect, it } from 'vitest';
import { LiveImage, withHeadroom } from '../../app/archive/image';
import { loadSqlJs } from '../../app/archive/sqljs';

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
  it('with headroom, SQLite writes into our buffer and a capture is the committed database', async () => {
    const SQL = await loadSqlJs();
    const buffer = withHeadroom(await seeded(), 4 << 20);
    const db = new SQL.Database(buffer);
    const image = new LiveImage(buffer);
    fill(db, 2000);
    const first = image.capture(db)!;
    expect(first).toBeDefined();
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
