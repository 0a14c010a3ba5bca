// The TXT export: a readable plain transcript of every selected group in one file, each group headed by its
// coverage (so a partial transcript says so) and any filter, then its messages under day lines.

import type { Archive, GroupRow } from '../archive';
import type { MessageFilter } from '../search/filter';
import { Clock } from './clock';
import { type TextWriter, writeExportFile } from './files';
import { dictionary, type Lang } from './i18n';
import type { ExportResult, FileExportOptions } from './jsonl';
import { mediaBesideFile } from './media';
import { plainMessage } from './plain';
import { ProgressCounter } from './progress';
import { completeness } from '../coverage/completeness';
import { coverageLines } from '../coverage/verdict';
import { NameBook } from '../people/names';
import { DamagedMessages, filteredGroups, messageRows, rowStats } from './source';
import { filterLines, filtersMessages, streamName, verdict } from './summary';
import { formatCount } from './units';
import { viewMessage } from './view';
import { visibleText } from './visible';

export interface TextExportOptions extends FileExportOptions {
  lang: Lang;
  /** IANA zone for message times; default the system's. */
  timeZone?: string;
  /** Unix seconds stated as the export time; default now. */
  exportedAt?: number;
}

const RULE = '='.repeat(72);

export async function exportTxt(archive: Archive, out: string, opts: TextExportOptions): Promise<ExportResult> {
  const filter = opts.filter ?? {};
  const groups = filteredGroups(archive, filter);
  const d = dictionary(opts.lang);
  const clock = new Clock(opts.timeZone, opts.lang);
  const exportedAt = opts.exportedAt ?? Math.floor(Date.now() / 1000);
  const media = mediaBesideFile(archive, out, opts.media, opts.mediaOps);
  return writeExportFile(archive, out, opts.force, async (w) => {
    const written = new ProgressCounter(opts);
    const damaged = new DamagedMessages();
    for (const g of groups) {
      await writeHeader(w, archive, g, filter, opts.lang, clock, exportedAt);
      const names = new NameBook(archive.db, g, opts.names);
      let lastDate = '';
      for (const row of messageRows(archive, g.gid, filter, damaged.of(g))) {
        const date = clock.local(row.time).date;
        if (date !== lastDate) await w.write(`\n--- ${clock.dayLabel(date)} ---\n\n`);
        lastDate = date;
        const view = viewMessage(row, { name: (a, t) => names.name(a, t), media: (key) => media.reader.copy(key) });
        await w.write(plainMessage(view, d, clock, media.href));
        await media.flush();
        written.add();
      }
      await w.write('\n');
    }
    return { groups: groups.length, messages: written.messages, media: media.totals, ...damaged.summary };
  });
}

async function writeHeader(w: TextWriter, archive: Archive, g: GroupRow, filter: MessageFilter, lang: Lang, clock: Clock, exportedAt: number): Promise<void> {
  const d = dictionary(lang);
  const cov = completeness(archive, g);
  const rows = rowStats(archive, g.gid, filter);
  const id = g.topicId || g.groupId;
  const name = streamName(archive, g);
  const lines = [
    RULE,
    `${d.transcript}: ${name}${name !== visibleText(id) ? ` (${visibleText(id)})` : ''}`,
    `${d.exportedAt(clock.short(exportedAt))} ${d.timeZone(clock.zoneLabel(exportedAt))}`,
    '',
    verdict(cov, d, lang, clock, filter).text,
    ...coverageLines(cov.counts, d).map((l) => `${l.part ? '    ' : '  '}${l.label}: ${formatCount(l.value, lang)}`),
  ];
  if (filtersMessages(filter)) {
    lines.push('', ...filterLines(filter, d, clock).map(([k, v]) => `  ${k}: ${v}`));
    lines.push(d.exportedOfArchived(formatCount(rows.count, lang), formatCount(cov.counts.messages, lang)));
  }
  lines.push('', `${d.messages}: ${formatCount(rows.count, lang)}`);
  if (rows.count > 0) {
    lines.push(`${d.seqs}: ${rows.firstSeq}–${rows.lastSeq}`, `${d.dates}: ${clock.local(rows.minTime!).date} – ${clock.local(rows.maxTime!).date}`);
  }
  lines.push(RULE, '');
  await w.write(`${lines.join('\n')}\n`);
}
