// The export screen: what to export (groups, time range), how (format, language), where (a native dialog), and
// the running export followed through its events until "Show in folder".

import type { AppError, Events, ExportDone, ExportFormat, Lang } from '../../../../app/ipc/contract';
import { parseDate } from '../../../../app/search/filter';
import { api } from '../api';

export class ExportState {
  groupIds = $state<string[]>([]);
  since = $state('');
  until = $state('');
  format = $state<ExportFormat>('html');
  lang = $state<Lang | undefined>();
  out = $state<string | undefined>();

  exportId = $state<string | undefined>();
  starting = $state(false);
  progress = $state.raw<{ messages: number; total?: number } | undefined>();
  done = $state.raw<ExportDone | undefined>();
  error = $state.raw<AppError | undefined>();

  readonly running = $derived(this.starting || (this.exportId !== undefined && this.done === undefined && this.error === undefined));

  /** A folder for HTML (the export creates its pages inside), a file to save for the other formats. */
  async choose(title: string): Promise<void> {
    const kind = this.format === 'html' ? 'folder' : 'file';
    const r = await api.chooseFolder({ title, kind, ...(kind === 'file' ? { defaultName: `tim-export.${this.format}` } : {}) });
    if (!r.ok) this.error = r.error;
    else if (r.value !== null) this.out = r.value;
  }

  setFormat(format: ExportFormat): void {
    // A folder chosen for HTML is no file name for CSV, and the other way round.
    if ((format === 'html') !== (this.format === 'html')) this.out = undefined;
    this.format = format;
  }

  async start(profile: string, lang: Lang): Promise<void> {
    if (!this.out) return;
    this.exportId = undefined;
    this.done = undefined;
    this.error = undefined;
    this.progress = { messages: 0 };
    this.starting = true;
    const r = await api.export({
      profile,
      format: this.format,
      out: this.out,
      lang: this.lang ?? lang,
      filter: {
        ...(this.groupIds.length ? { groupIds: [...this.groupIds] } : {}),
        ...(this.since ? { since: parseDate(this.since, 'since') } : {}),
        ...(this.until ? { until: parseDate(this.until, 'until') } : {}),
      },
    });
    this.starting = false;
    if (!r.ok) this.error = r.error;
    else this.exportId ??= r.value.exportId;
  }

  /** Another profile: its groups and its running export are not this one's. */
  reset(): void {
    this.groupIds = [];
    this.exportId = undefined;
    this.progress = undefined;
    this.done = undefined;
    this.error = undefined;
  }

  onProgress(e: Events['exportProgress']): void {
    if (this.exportId !== undefined && e.exportId !== this.exportId) return;
    if (this.exportId === undefined && !this.starting) return;
    this.exportId = e.exportId;
    this.progress = { messages: e.messages, ...(e.total !== undefined ? { total: e.total } : {}) };
  }

  onDone(e: Events['exportDone']): void {
    if (this.exportId !== undefined && e.exportId !== this.exportId) return;
    if (this.exportId === undefined && !this.starting) return;
    this.exportId = e.exportId;
    if (e.result.ok) this.done = e.result.value;
    else this.error = e.result.error;
  }

  async showInFolder(): Promise<void> {
    if (!this.done) return;
    const r = await api.showInFolder({ path: this.done.path });
    if (!r.ok) this.error = r.error;
  }
}

export const exporter = new ExportState();
