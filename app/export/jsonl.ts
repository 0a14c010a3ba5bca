// Lossless export: one line per archived Seq, ascending within each group, the message exactly as the API
// returned it (for a message later recalled or deleted at Tencent: the original) with "GroupId" added, and
// "SenderName" when the sender has a name (From_Account stays the account).

import type { Archive } from '../archive';
import type { MessageFilter } from '../search/filter';
import { writeExportFile } from './files';
import { ProgressCounter, type ProgressOptions } from './progress';
import { type NameChoice, NameBook } from '../people/names';
import { DamagedMessages, type DamagedMessage, filteredGroups, messageRows } from './source';

export interface ExportResult {
  groups: number;
  messages: number;
  /** Messages whose archived row is damaged: written as damage, without their content. */
  damaged?: DamagedMessage[];
}

/** How every single-file export is asked for. */
export interface FileExportOptions extends ProgressOptions {
  filter?: MessageFilter;
  /** Replace an existing file (never the archive or its own files: ./destination). */
  force?: boolean;
  /** Which name labels each message (default card → nick → account). */
  names?: NameChoice;
}

export async function exportJsonl(archive: Archive, out: string, opts: FileExportOptions = {}): Promise<ExportResult> {
  const filter = opts.filter ?? {};
  const names = opts.names ?? 'card';
  const groups = filteredGroups(archive, filter);
  return writeExportFile(archive, out, opts.force, async (w) => {
    const written = new ProgressCounter(opts);
    const damaged = new DamagedMessages();
    for (const g of groups) {
      const prefix = `{"GroupId":${JSON.stringify(g.groupId)},`;
      const book = new NameBook(archive.db, g, names);
      for (const row of messageRows(archive, g.gid, filter, damaged.of(g))) {
        if (row.damaged) {
          // Its stored JSON no longer matches its checksum: a line that says so, with nothing of its content.
          await w.write(`${prefix}"MsgSeq":${row.seq},"Damaged":true}\n`);
          written.add();
          continue;
        }
        const name = book.name(row.sender, row.time);
        // raw is a JSON object with at least MsgSeq, so splicing after its "{" keeps it byte-exact.
        await w.write(`${prefix}${name !== undefined ? `"SenderName":${JSON.stringify(name)},` : ''}${row.raw.slice(1)}\n`);
        written.add();
      }
    }
    return { groups: groups.length, messages: written.messages, ...damaged.summary };
  });
}
