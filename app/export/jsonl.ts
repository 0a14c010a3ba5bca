// Lossless export: one line per archived Seq, ascending within each group, the message exactly as the API
// returned it (for a message later recalled or deleted at Tencent: the original) with "GroupId" added.

import type { Archive } from '../archive';
import type { MessageFilter } from '../search/filter';
import { writeExportFile } from './files';
import { ProgressCounter, type ProgressOptions } from './progress';
import { filteredGroups, messageRows } from './source';

export interface ExportResult {
  groups: number;
  messages: number;
}

/** How every single-file export is asked for. */
export interface FileExportOptions extends ProgressOptions {
  filter?: MessageFilter;
  /** Replace an existing file (never the archive or its own files: ./destination). */
  force?: boolean;
}

export async function exportJsonl(archive: Archive, out: string, opts: FileExportOptions = {}): Promise<ExportResult> {
  const filter = opts.filter ?? {};
  const groups = filteredGroups(archive, filter);
  return writeExportFile(archive, out, opts.force, async (w) => {
    const written = new ProgressCounter(opts);
    for (const g of groups) {
      const prefix = `{"GroupId":${JSON.stringify(g.groupId)},`;
      for (const row of messageRows(archive, g.gid, filter)) {
        // raw is a JSON object with at least MsgSeq, so splicing after its "{" keeps it byte-exact.
        await w.write(`${prefix}${row.raw.slice(1)}\n`);
        written.add();
      }
    }
    return { groups: groups.length, messages: written.messages };
  });
}
