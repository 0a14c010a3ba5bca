// The HTML export: one self-contained folder that opens from file:// in any browser, offline.
//
//   index.html                       every exported group: messages, Seq and date ranges, coverage
//   groups/<group>/index.html        the group's coverage and its pages by date
//   groups/<group>/<YYYY-MM>.html    its messages, a month (or part of one) per page
//   media/ab/<sha256>.<ext>          the stored media the pages show (./media: hard links or copies)
//
// Messages stream from the archive to the page files one at a time; only a page plan (a few numbers per page)
// and per-group summaries stay in memory, so memory does not grow with the export.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Archive, GroupRow } from '../archive';
import type { MessageFilter } from '../search/filter';
import { Clock } from './clock';
import { TextWriter, writeExportFolder } from './files';
import { MessageRenderer } from './html-message';
import { exportIndex, groupIndex, type GroupSummary, type PageContext, pageBottom, pageTop } from './html-pages';
import { dictionary, type Lang } from './i18n';
import { type PageLimits, planPages } from './plan';
import { ProgressCounter, type ProgressOptions } from './progress';
import { completeness } from '../coverage/completeness';
import { type NameChoice, NameBook } from '../people/names';
import { MediaReader } from '../media/read';
import { ExportMedia, type MediaFileOps, type MediaMode, type MediaTotals } from './media';
import { DamagedMessages, type DamagedMessage, filteredGroups, messageRows, rowSizes } from './source';
import { streamName } from './summary';
import { TranscriptLayout } from './transcript';
import { type MessageView, type ViewContext, viewMessage } from './view';
import { visibleText } from './visible';

export interface HtmlExportOptions extends ProgressOptions {
  filter?: MessageFilter;
  lang: Lang;
  /** IANA zone for message times; default the system's. */
  timeZone?: string;
  /** Unix seconds stated as the export time; default now. */
  exportedAt?: number;
  pageLimits?: PageLimits;
  /** Whether the stored media the pages show go into the export (default copy). */
  media?: MediaMode;
  /** How media files are put in place (tests: a drive without hard links). */
  mediaOps?: MediaFileOps;
  /** Which name labels each message (default card → nick → account); the account is always in its title. */
  names?: NameChoice;
}

export interface HtmlExportResult {
  groups: number;
  messages: number;
  pages: number;
  /** Size of the largest page, and which one (relative to the export folder). */
  largestPageBytes: number;
  largestPage?: string;
  media: MediaTotals;
  /** Messages whose archived row is damaged: shown as damage on their page, named here. */
  damaged?: DamagedMessage[];
}

export async function exportHtml(archive: Archive, out: string, opts: HtmlExportOptions): Promise<HtmlExportResult> {
  const filter = opts.filter ?? {};
  const groups = filteredGroups(archive, filter);
  const ctx: PageContext = {
    dict: dictionary(opts.lang),
    lang: opts.lang,
    clock: new Clock(opts.timeZone, opts.lang),
    filter,
    exportedAt: opts.exportedAt ?? Math.floor(Date.now() / 1000),
  };
  const archiveGroups = archive.groups().length;
  const reader = new MediaReader(archive.db, archive.path);
  return writeExportFolder(archive, out, async (dir) => {
    const media = new ExportMedia(reader, join(dir, 'media'), '../../media/', opts.media ?? 'copy', opts.mediaOps);
    const result: HtmlExportResult = { groups: groups.length, messages: 0, pages: 0, largestPageBytes: 0, media: media.totals };
    const summaries: GroupSummary[] = [];
    const written = new ProgressCounter(opts);
    const damaged = new DamagedMessages();
    for (const group of groups) {
      const summary = await exportGroup(archive, group, dir, ctx, { ...opts, reader, files: media }, result, written, damaged);
      summaries.push(summary);
      result.messages += summary.exported;
    }
    await writeWhole(join(dir, 'index.html'), exportIndex(ctx, summaries, archiveGroups).toString());
    return { ...result, ...damaged.summary };
  });
}

async function exportGroup(
  archive: Archive,
  group: GroupRow,
  dir: string,
  ctx: PageContext,
  opts: HtmlExportOptions & { reader: MediaReader; files: ExportMedia },
  result: HtmlExportResult,
  written: ProgressCounter,
  damaged: DamagedMessages,
): Promise<GroupSummary> {
  const folder = `groups/${groupFolder(group)}`;
  await mkdir(join(dir, folder), { recursive: true });
  const pages = planPages(rowSizes(archive, group.gid, ctx.filter), ctx.clock, opts.pageLimits);
  const summary: GroupSummary = {
    folder,
    groupId: visibleText(group.topicId || group.groupId),
    name: streamName(archive, group),
    coverage: completeness(archive, group),
    pages,
    exported: 0,
  };
  const names = new NameBook(archive.db, group, opts.names);
  const view: ViewContext = { name: (a, time) => names.name(a, time), media: (key) => opts.reader.copy(key), avatar: (a, time) => names.avatar(a, time) };
  const renderer = new MessageRenderer(ctx.dict, ctx.clock, opts.files.href);
  let index = -1;
  let page: PageWriter | undefined;
  const closePage = async (p: PageWriter) => {
    const bytes = await p.finish(pageBottom(ctx, pages[index - 1], pages[index + 1]).toString());
    result.pages++;
    if (bytes > result.largestPageBytes) {
      result.largestPageBytes = bytes;
      result.largestPage = `${folder}/${pages[index]!.file}`;
    }
  };
  try {
    // A message archived after the plan was made (a backup running in the same process) lands on the page its
    // Seq belongs to; with no page planned at all, the group had nothing to export when the export started.
    for (const row of pages.length ? messageRows(archive, group.gid, ctx.filter, damaged.of(group)) : []) {
      while (index < 0 || (index < pages.length - 1 && row.seq > pages[index]!.lastSeq)) {
        if (page) await closePage(page);
        index++;
        page = new PageWriter(join(dir, folder, pages[index]!.file), renderer, ctx.clock);
        await page.start(pageTop(ctx, summary, pages[index]!, pages[index - 1], pages[index + 1]).toString());
      }
      await page!.add(viewMessage(row, view));
      await opts.files.flush();
      summary.exported++;
      written.add();
      summary.firstSeq ??= row.seq;
      summary.lastSeq = row.seq;
      summary.minTime = Math.min(summary.minTime ?? row.time, row.time);
      summary.maxTime = Math.max(summary.maxTime ?? row.time, row.time);
    }
    if (page) await closePage(page);
  } catch (err) {
    // Its file must be closed before the unfinished export folder can be removed (Windows keeps open files).
    page?.abandon();
    throw err;
  }
  await writeWhole(join(dir, folder, 'index.html'), groupIndex(ctx, summary).toString());
  return summary;
}

/** One transcript page being written: day separators and sender runs are decided message by message. */
class PageWriter {
  private readonly w: TextWriter;
  private readonly layout: TranscriptLayout;

  constructor(
    path: string,
    private readonly renderer: MessageRenderer,
    clock: Clock,
  ) {
    this.w = TextWriter.create(path);
    this.layout = new TranscriptLayout(clock);
  }

  start(top: string): Promise<void> | undefined {
    return this.w.write(top);
  }

  async add(m: MessageView): Promise<void> {
    const { date, newDay, head } = this.layout.place(m);
    if (newDay) await this.w.write(this.renderer.daySeparator(date).toString());
    await this.w.write(this.renderer.message(m, { head }).toString());
  }

  abandon(): void {
    this.w.destroy();
  }

  async finish(bottom: string): Promise<number> {
    await this.w.write(bottom);
    await this.w.close();
    return this.w.bytes;
  }
}

/**
 * A folder name for a group that is safe on every file system (Windows forbids some characters, macOS folds
 * case) and stable across exports: the readable part of the ID plus a hash of the exact app, group and topic.
 */
function groupFolder(g: GroupRow): string {
  const id = g.topicId || g.groupId;
  const readable = id.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40);
  const hash = createHash('sha256').update(`${g.sdkAppId}\0${g.groupId}\0${g.topicId}`).digest('hex').slice(0, 10);
  return readable ? `${readable}-${hash}` : hash;
}

async function writeWhole(path: string, content: string): Promise<void> {
  const w = TextWriter.create(path);
  await w.write(content);
  await w.close();
}
