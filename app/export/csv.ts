// The CSV export: one row per archived message, for spreadsheets. RFC 4180 (CRLF rows, fields quoted when they
// hold a comma, quote or line break, quotes doubled), UTF-8 with a byte-order mark so Excel reads Chinese
// correctly, and safe to open: a cell that a spreadsheet would take for a formula is neutralized. The media
// column names each media file of the message: its path beside the CSV (./media), else its state.

import type { Archive } from '../archive';
import { Clock } from './clock';
import { writeExportFile } from './files';
import { type ExportResult, type FileExportOptions, MEDIA_KINDS } from './jsonl';
import { type ExportMedia, mainRenditions, mediaBesideFile } from './media';
import type { MessageMedia } from '../media/read';
import { ProgressCounter } from './progress';
import { NameBook } from '../people/names';
import { DamagedMessages, filteredGroups, messageRows } from './source';
import { kindNames } from './view';
import { visibleText } from './visible';

export interface CsvExportOptions extends FileExportOptions {
  /** IANA zone of the ISO 8601 times; default the system's. */
  timeZone?: string;
}

export const CSV_HEADER = ['group', 'seq', 'time', 'sender', 'display_name', 'kind', 'text', 'media'] as const;

export async function exportCsv(archive: Archive, out: string, opts: CsvExportOptions = {}): Promise<ExportResult> {
  const filter = opts.filter ?? {};
  const groups = filteredGroups(archive, filter);
  const clock = new Clock(opts.timeZone);
  const media = mediaBesideFile(archive, out, opts.media, opts.mediaOps);
  return writeExportFile(archive, out, opts.force, async (w) => {
    await w.write(`\ufeff${csvRow(CSV_HEADER)}`);
    const written = new ProgressCounter(opts);
    const damaged = new DamagedMessages();
    for (const g of groups) {
      const names = new NameBook(archive.db, g, opts.names);
      const group = g.topicId || g.groupId;
      for (const row of messageRows(archive, g.gid, filter, damaged.of(g))) {
        // A damaged row's fields cannot be trusted, its time, sender and media included: only which message it is.
        const cells = row.damaged
          ? [group, String(row.seq), '', '', '', 'damaged', '', '']
          : [
              group,
              String(row.seq),
              clock.local(row.time).iso,
              row.sender,
              names.name(row.sender, row.time) ?? row.sender,
              kindNames(row.kinds, row.state, row.isSystem).join(' '),
              row.text,
              row.kinds & MEDIA_KINDS ? mediaCell(mainRenditions(media.reader.ofMessage(row.raw)), media) : '',
            ];
        await w.write(csvRow(cells));
        await media.flush();
        written.add();
      }
    }
    return { groups: groups.length, messages: written.messages, media: media.totals, ...damaged.summary };
  });
}

/** One line per file: its name (when the message gives one), then its path in the export, or its state. */
function mediaCell(items: MessageMedia[], media: ExportMedia): string {
  return items
    .map((m) => {
      const where = (m.state === 'stored' ? media.pathOf(m) : undefined) ?? (m.sha256 ? `sha256:${m.sha256}` : `(${m.state})`);
      return m.fileName ? `${m.fileName}: ${where}` : where;
    })
    .join('\n');
}

export function csvRow(cells: readonly string[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/**
 * Spreadsheets run a cell starting with = + - @ (or a tab or CR, which they skip first) as a formula, which can
 * fetch URLs or run commands: such a cell gets a leading apostrophe, as OWASP recommends. The text is otherwise
 * as the transcripts show it (see visibleText).
 */
export function csvField(value: string): string {
  let v = visibleText(value);
  if (/^[=+\-@\t\r]/u.test(v)) v = `'${v}`;
  return /[",\r\n]/u.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
