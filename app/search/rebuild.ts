// Rebuilding the full-text index from the archived messages: for archive migrations that change what is
// indexed or how (./normalize), and for archives written by an older indexForm().

import type { Archive } from '../archive';
import { describe, placeState } from '../archive/extract';
import type { GroupMsg } from '../im/wire';
import { indexForm } from './normalize';

export function rebuildIndex(archive: Archive): { messages: number } {
  const db = archive.db;
  db.exec('BEGIN');
  try {
    // A contentless FTS4 table cannot delete rows; the schema's own statement recreates it empty.
    const create = String(db.exec("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'message_fts'")[0]?.values[0]?.[0]);
    db.exec('DROP TABLE message_fts');
    db.exec(create);
    const read = db.prepare('SELECT id, raw FROM messages');
    const insert = db.prepare('INSERT INTO message_fts (docid, body) VALUES (CAST(? AS INTEGER), ?)');
    let messages = 0;
    try {
      while (read.step()) {
        const [id, raw] = read.get();
        const msg = JSON.parse(String(raw)) as GroupMsg;
        if (placeState(msg) !== 0) continue;
        const body = indexForm(describe(msg).searchable);
        if (body) insert.run([Number(id), body]);
        messages++;
      }
    } finally {
      read.free();
      insert.free();
    }
    db.exec("INSERT INTO message_fts (message_fts) VALUES ('optimize')");
    db.exec('COMMIT');
    return { messages };
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}
