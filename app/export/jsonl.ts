// Lossless export: one line per archived Seq, ascending within each group, the message exactly as the API
// returned it (for a message later recalled or deleted at Tencent: the original) with "GroupId" added.
// Written to a temporary file and renamed, so an interrupted export never leaves a truncated file behind.

import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { Archive } from '../archive';
import { selectGroups } from './select';

export interface JsonlOptions {
  /** Group IDs to export; empty = every group in the archive. */
  groupIds: string[];
}

export async function exportJsonl(archive: Archive, out: string, opts: JsonlOptions): Promise<{ groups: number; messages: number }> {
  const groups = selectGroups(archive, opts.groupIds);
  const tmp = `${out}.partial-${process.pid}`;
  const file = createWriteStream(tmp);
  let messages = 0;
  try {
    for (const g of groups) {
      const prefix = `{"GroupId":${JSON.stringify(g.groupId)},`;
      const stmt = archive.db.prepare('SELECT raw FROM messages WHERE gid = ? ORDER BY seq');
      try {
        stmt.bind([g.gid]);
        while (stmt.step()) {
          const raw = stmt.get()[0] as string;
          messages++;
          // raw is a JSON object with at least MsgSeq, so splicing after its "{" keeps it byte-exact.
          if (!file.write(`${prefix}${raw.slice(1)}\n`)) await once(file, 'drain');
        }
      } finally {
        stmt.free();
      }
    }
    file.end();
    await once(file, 'finish');
    await rename(tmp, out);
  } catch (err) {
    file.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
  return { groups: groups.length, messages };
}
