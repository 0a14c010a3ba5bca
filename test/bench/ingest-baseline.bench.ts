// Baseline for the archive's ingest rate, measured in the same run: the cheapest possible store of the same
// windows into the same kind of file — a SQLite file on disk in WAL mode with synchronous=FULL, committed about
// once a second as the archive commits — one INSERT of the raw JSON per message in a bare table, no derived
// columns, no coverage, no full-text index. The archive's rate divided by this one is what our bookkeeping costs.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { LIMITS } from '../../app/im/wire';
import { chatWindow } from '../archive/chat';

/** As often as the archive's writer commits (app/archive/archive.ts COMMIT_EVERY_MS). */
const COMMIT_EVERY_MS = 1000;

export async function benchIngestBaseline(messages: number): Promise<{ messages: number; perSec: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'tim-ingest-baseline-'));
  const db = new DatabaseSync(join(dir, 'baseline.sqlite'));
  try {
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL');
    db.exec('CREATE TABLE m(gid INTEGER, seq INTEGER, raw TEXT, PRIMARY KEY(gid, seq))');
    const insert = db.prepare('INSERT INTO m VALUES (?, ?, ?)');
    let ms = 0;
    let sinceCommitMs = 0;
    for (let lo = 1; lo <= messages; lo += LIMITS.msgsPerCall) {
      const msgs = chatWindow(1, lo, Math.min(messages, lo + LIMITS.msgsPerCall - 1));
      const t = performance.now();
      if (!db.isTransaction) db.exec('BEGIN');
      for (const m of msgs) insert.run(1, m.MsgSeq, JSON.stringify(m));
      sinceCommitMs += performance.now() - t;
      if (sinceCommitMs >= COMMIT_EVERY_MS) {
        db.exec('COMMIT');
        sinceCommitMs = 0;
      }
      ms += performance.now() - t;
    }
    const t = performance.now();
    if (db.isTransaction) db.exec('COMMIT');
    ms += performance.now() - t;
    return { messages, perSec: Math.round(messages / (ms / 1000)) };
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
