// Baseline for the archive's ingest rate, measured in the same run: the cheapest possible store of the same
// messages into the same kind of file — a SQLite file on disk in WAL mode with synchronous=NORMAL, as the archive
// during a backup, committed once a second — one INSERT of the raw JSON per message in a bare table: no derived columns, no
// coverage, no full-text index. The archive's rate divided by this one is what our bookkeeping costs.

import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { LIMITS } from '../../app/im/wire';
import { BENCH_CORPUS, corpusWindow } from '../search/corpus';

/** As often as the archive's writer commits (app/archive/archive.ts COMMIT_EVERY_MS). */
const COMMIT_EVERY_MS = 1000;

/** Stores the first `messages` of the storage bench's first group (./storage.bench.ts) in a folder under `parent`. */
export async function benchIngestBaseline(messages: number, parent: string): Promise<{ messages: number; perSec: number; perCpuSec: number }> {
  const dir = await mkdtemp(join(parent, 'baseline-'));
  const db = new DatabaseSync(join(dir, 'baseline.sqlite'));
  try {
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
    db.exec('CREATE TABLE m(gid INTEGER, seq INTEGER, raw TEXT, PRIMARY KEY(gid, seq))');
    const insert = db.prepare('INSERT INTO m VALUES (?, ?, ?)');
    let ms = 0;
    let cpuUs = 0;
    let sinceCommitMs = 0;
    const timed = (fn: () => void) => {
      const t = performance.now();
      const cpu = process.cpuUsage();
      fn();
      const used = process.cpuUsage(cpu);
      cpuUs += used.user + used.system;
      const took = performance.now() - t;
      ms += took;
      return took;
    };
    for (let lo = 1; lo <= messages; lo += LIMITS.msgsPerCall) {
      const msgs = corpusWindow(BENCH_CORPUS, lo, Math.min(messages, lo + LIMITS.msgsPerCall - 1));
      sinceCommitMs += timed(() => {
        if (!db.isTransaction) db.exec('BEGIN');
        for (const m of msgs) insert.run(1, m.MsgSeq, JSON.stringify(m));
        if (sinceCommitMs >= COMMIT_EVERY_MS) db.exec('COMMIT');
      });
      if (!db.isTransaction) sinceCommitMs = 0;
    }
    timed(() => db.isTransaction && db.exec('COMMIT'));
    return { messages, perSec: Math.round(messages / (ms / 1000)), perCpuSec: Math.round(messages / (cpuUs / 1e6)) };
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
