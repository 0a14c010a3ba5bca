// Lossless export: one line per archived Seq, ascending within each group, the message exactly as the API
// returned it (for a message later recalled or deleted at Tencent: the original) with "GroupId" added, and
// "SenderName" when the sender has a name (From_Account stays the account).

import type { Archive } from '../archive';
import type { MessageFilter } from '../search/filter';
import { writeFileAtomically } from './files';
import { ProgressCounter, type ProgressOptions } from './progress';
import { type NameChoice, NameBook } from '../people/names';
import { filteredGroups, messageRows } from './source';

export interface ExportResult {
  groups: number;
  messages: number;
}

export async function exportJsonl(archive: Archive, out: string, filter: MessageFilter = {}, progress: ProgressOptions = {}, names: NameChoice = 'card'): Promise<ExportResult> {
  const groups = filteredGroups(archive, filter);
  return writeFileAtomically(out, async (w) => {
    const written = new ProgressCounter(progress);
    for (const g of groups) {
      const prefix = `{"GroupId":${JSON.stringify(g.groupId)},`;
      const book = new NameBook(archive.db, g, names);
      for (const row of messageRows(archive, g.gid, filter)) {
        const name = book.name(row.sender, row.time);
        // raw is a JSON object with at least MsgSeq, so splicing after its "{" keeps it byte-exact.
        await w.write(`${prefix}${name !== undefined ? `"SenderName":${JSON.stringify(name)},` : ''}${row.raw.slice(1)}\n`);
        written.add();
      }
    }
    return { groups: groups.length, messages: written.messages };
  });
}
