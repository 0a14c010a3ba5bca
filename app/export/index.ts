// Transcripts rendered from the archive, never from the network. One entry point for the CLI and the desktop
// app; the view model (./view, ./card, ./visible) is also what the desktop reader renders messages with.

import type { Archive } from '../archive';
import type { NameChoice } from '../people/names';
import type { MessageFilter } from '../search/filter';
import { exportCsv } from './csv';
import { exportHtml, type HtmlExportResult } from './html-export';
import { type Lang, systemLang } from './i18n';
import { exportJsonl, type ExportResult } from './jsonl';
import type { MediaMode } from './media';
import type { ProgressOptions } from './progress';
import { exportTxt } from './txt';

export const EXPORT_FORMATS = ['html', 'jsonl', 'csv', 'txt'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions extends ProgressOptions {
  format: ExportFormat;
  /**
   * A folder for html; one file holding every selected group for jsonl, csv and txt, or "-" for standard output.
   * Where an export may write is decided by ./destination.ts (never the archive or its own files).
   */
  out: string;
  /** Replace an existing file (single-file formats). */
  force?: boolean;
  filter?: MessageFilter;
  /** Language of the html and txt transcripts; default from the system locale. */
  lang?: Lang;
  /** IANA time zone of the times shown; default the system's. */
  timeZone?: string;
  /** Which name labels each message: card (default: card → nick → account), nick, account, or as-sent. */
  names?: NameChoice;
  /** copy (default): the stored media the export shows go with it (./media); none: they are named, not included. */
  media?: MediaMode;
}

export type ExportSummary = ExportResult & Partial<Omit<HtmlExportResult, keyof ExportResult>>;

export function exportArchive(archive: Archive, opts: ExportOptions): Promise<ExportSummary> {
  const filter = opts.filter ?? {};
  const lang = opts.lang ?? systemLang();
  const zone = opts.timeZone !== undefined ? { timeZone: opts.timeZone } : {};
  const progress: ProgressOptions = { onProgress: opts.onProgress, progressIntervalMs: opts.progressIntervalMs };
  const names = opts.names ?? 'card';
  const media = opts.media ?? 'copy';
  const file = { filter, names, media, ...(opts.force !== undefined ? { force: opts.force } : {}), ...progress };
  switch (opts.format) {
    case 'html':
      return exportHtml(archive, opts.out, { filter, lang, names, media, ...zone, ...progress });
    case 'jsonl':
      return exportJsonl(archive, opts.out, file);
    case 'csv':
      return exportCsv(archive, opts.out, { ...file, ...zone });
    case 'txt':
      return exportTxt(archive, opts.out, { ...file, lang, ...zone });
  }
}

export { type Lang, LANGS, parseLang, systemLang } from './i18n';
export { NAME_CHOICES, type NameChoice } from '../people/names';
export { MEDIA_MODES, type MediaMode, type MediaTotals } from './media';
export { APP_NAMING, type Naming, type OutputCode, OutputError } from './output-error';
export type { ProgressOptions } from './progress';
export { SelectionError } from './select';
