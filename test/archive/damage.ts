// Damage inside one message row, as a failing disk or another program would leave it: written through a second
// SQLite connection on the archive's file, so the page stays well-formed and SQLite's own checks still pass.

import { DatabaseSync } from 'node:sqlite';

export type DamagedColumn = 'text' | 'raw' | 'state';

/**
 * Changes one column of the row (gid, seq) in the archive at `path`, bypassing the archive (its checksum is left
 * as it was): in text columns every `swap[0]` becomes `swap[1]`; `state` becomes another number.
 */
export function damageRow(path: string, gid: number, seq: number, column: DamagedColumn, swap: [string, string] = ['e', '3']): void {
  const db = new DatabaseSync(path);
  try {
    if (column === 'state') {
      if (db.prepare('UPDATE messages SET state = (state + 1) % 3 WHERE gid = ? AND seq = ?').run(gid, seq).changes !== 1) throw new Error(`damageRow: no row (${gid}, ${seq})`);
      return;
    }
    const changed = db.prepare(`UPDATE messages SET ${column} = replace(${column}, ?, ?) WHERE gid = ? AND seq = ? AND instr(${column}, ?) > 0`).run(swap[0], swap[1], gid, seq, swap[0]).changes;
    if (changed !== 1) throw new Error(`damageRow: no row (${gid}, ${seq}) with "${swap[0]}" in its ${column}`);
  } finally {
    db.close();
  }
}
