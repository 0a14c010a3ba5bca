// Lossless export: one line per archived Seq, ascending within each group, the message exactly as the API
// returned it (for a message later recalled or deleted at Tencent: the original) with "GroupId" added, and
// "SenderName" when the sender has a name (From_Account stays the account), and "Media" when it carries media:
// each rendition's key, state, size, type, sha256 and, when the export includes it, its path relative to the
// file's folder (./media: `<file>.media/ab/<sha256>.<ext>`).

import { type Archive, KINDS } from '../archive';
import type { MessageFilter } from '../search/filter';
import { writeExportFile } from './files';
import { ProgressCounter, type ProgressOptions } from './progress';
import { type NameChoice, NameBook } from '../people/names';
import type { MessageMedia } from '../media/read';
import { type ExportMedia, type MediaFileOps, mediaBesideFile, type MediaMode, type MediaTotals } from './media';
import { DamagedMessages, type DamagedMessage, filteredGroups, messageRows } from './source';

export interface ExportResult {
  groups: number;
  messages: number;
  /** The media files the export includes. */
  media: MediaTotals;
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
  /** Whether stored media are copied beside the file (default copy). */
  media?: MediaMode;
  mediaOps?: MediaFileOps;
}

/** Element kinds that can carry media (a relay's forwarded messages included): only these rows are parsed. */
export const MEDIA_KINDS = KINDS.image | KINDS.file | KINDS.sound | KINDS.video | KINDS.relay;

export async function exportJsonl(archive: Archive, out: string, opts: FileExportOptions = {}): Promise<ExportResult> {
  const filter = opts.filter ?? {};
  const names = opts.names ?? 'card';
  const groups = filteredGroups(archive, filter);
  const media = mediaBesideFile(archive, out, opts.media, opts.mediaOps);
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
        const items = row.kinds & MEDIA_KINDS ? media.reader.ofMessage(row.raw) : [];
        const mediaField = items.length ? `"Media":${JSON.stringify(items.map((m) => mediaEntry(m, media)))},` : '';
        // raw is a JSON object with at least MsgSeq, so splicing after its "{" keeps it byte-exact.
        await w.write(`${prefix}${name !== undefined ? `"SenderName":${JSON.stringify(name)},` : ''}${mediaField}${row.raw.slice(1)}\n`);
        await media.flush();
        written.add();
      }
    }
    return { groups: groups.length, messages: written.messages, media: media.totals, ...damaged.summary };
  });
}

function mediaEntry(m: MessageMedia, media: ExportMedia): Record<string, unknown> {
  const path = m.state === 'stored' ? media.pathOf(m) : undefined;
  return {
    Key: m.key,
    State: m.state,
    Size: m.size,
    ...(m.mime ? { Mime: m.mime } : {}),
    ...(m.sha256 ? { Sha256: m.sha256 } : {}),
    ...(path ? { Path: path } : {}),
  };
}
