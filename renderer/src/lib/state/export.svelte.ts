// The export screen: what to export (groups, time range), how (format, language), where (a native dialog), and
// the running export followed through its events until "Open" and "Show in folder". Events are matched by profile until the
// export's ID is known: they may arrive before export() answers, or after the window was reloaded mid-export.

import type { AppError, Events, ExportDone, ExportFormat, ExportMedia, Lang, RunningExport } from '../../../../app/ipc/contract';
import { parseDate } from '../../../../app/search/filter';
import { api } from '../api';

export class ExportState {
  /** The profile whose export this screen follows. */
  profile = $state<string | undefined>();
  groupIds = $state<string[]>([]);
  since = $state('');
  until = $state('');
  format = $state<ExportFormat>('html');
  media = $state<ExportMedia>('copy');
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
    this.profile = profile;
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
      media: this.media,
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
  reset(profile: string): void {
    this.profile = profile;
    this.groupIds = [];
    this.exportId = undefined;
    this.progress = undefined;
    this.done = undefined;
    this.error = undefined;
  }

  /** Follows an export the worker is running already (the window was reloaded meanwhile). */
  attach(running: readonly RunningExport[]): void {
    const latest = running.at(-1);
    if (!latest || this.exportId !== undefined || this.starting) return;
    this.exportId = latest.exportId;
    this.progress = { messages: latest.messages, ...(latest.total !== undefined ? { total: latest.total } : {}) };
  }

  private follows(e: { profile: string; exportId: string }): boolean {
    return e.profile === this.profile && (this.exportId === undefined || e.exportId === this.exportId);
  }

  onProgress(e: Events['exportProgress']): void {
    if (!this.follows(e)) return;
    this.exportId = e.exportId;
    this.progress = { messages: e.messages, ...(e.total !== undefined ? { total: e.total } : {}) };
  }

  onDone(e: Events['exportDone']): void {
    if (!this.follows(e)) return;
    this.exportId = e.exportId;
    if (e.result.ok) this.done = e.result.value;
    else this.error = e.result.error;
  }

  async showInFolder(): Promise<void> {
    if (!this.done) return;
    const r = await api.showInFolder({ path: this.done.path });
    if (!r.ok) this.error = r.error;
  }

  /** Opens the export itself: an HTML export's index.html in the browser, a file in the app for its type. */
  async open(): Promise<void> {
    if (!this.done) return;
    const r = await api.openPath({ path: this.done.path });
    if (!r.ok) this.error = r.error;
  }
}

export const exporter = new ExportState();
