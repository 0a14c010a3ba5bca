// Baseline for the archive's ingest rate, measured in the same run: the cheapest possible store of the same
// windows — one INSERT of the raw JSON per message in a bare table, one transaction per window, no derived
// columns, no coverage, no full-text index. The archive's rate divided by this one is what our bookkeeping costs.

import { loadSqlJs } from '../../app/archive/sqljs';
import { LIMITS } from '../../app/im/wire';
import { chatWindow } from '../archive/chat';

export async function benchIngestBaseline(messages: number): Promise<{ messages: number; perSec: number }> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.run('CREATE TABLE m(gid INTEGER, seq INTEGER, raw TEXT, PRIMARY KEY(gid, seq))');
  const insert = db.prepare('INSERT INTO m VALUES (?, ?, ?)');
  let ms = 0;
  for (let lo = 1; lo <= messages; lo += LIMITS.msgsPerCall) {
    const msgs = chatWindow(1, lo, Math.min(messages, lo + LIMITS.msgsPerCall - 1));
    const t = performance.now();
    db.run('BEGIN');
    for (const m of msgs) insert.run([1, m.MsgSeq, JSON.stringify(m)]);
    db.run('COMMIT');
    ms += performance.now() - t;
  }
  insert.free();
  db.close();
  return { messages, perSec: Math.round(messages / (ms / 1000)) };
}
