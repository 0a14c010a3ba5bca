// The run history of the profile in use, newest first, a page at a time; "retry what failed" starts a backup of
// exactly what a run left unfinished (the backup state follows it like any other).

import type { AppError, RendererApi, RunEntry } from '../../../../app/ipc/contract';

export type HistoryApi = Pick<RendererApi, 'runHistory'>;

export const HISTORY_PAGE = 20;

export class HistoryState {
  profile = $state<string | undefined>();
  runs = $state.raw<RunEntry[]>([]);
  /** A full page came back: older runs may exist. */
  more = $state(false);
  loading = $state(false);
  error = $state.raw<AppError | undefined>();
  /** The run a clicked notification was about: the screen shows it marked and scrolled to. */
  highlighted = $state<number | undefined>();
  private generation = 0;

  constructor(private readonly api: HistoryApi) {}

  /** After a backup of the profile: read again, so the screen never states what was true before. */
  async refresh(profile: string): Promise<void> {
    if (this.profile === profile) await this.load(profile);
  }

  async load(profile: string): Promise<void> {
    const generation = ++this.generation;
    this.profile = profile;
    this.loading = true;
    this.error = undefined;
    const r = await this.api.runHistory({ profile, limit: HISTORY_PAGE });
    if (generation !== this.generation) return;
    this.loading = false;
    if (!r.ok) {
      this.error = r.error;
      return;
    }
    this.runs = r.value;
    this.more = r.value.length === HISTORY_PAGE;
  }

  highlight(runId: number | undefined): void {
    this.highlighted = runId;
  }

  /** The next page back, from the oldest run shown. */
  async older(): Promise<void> {
    const profile = this.profile;
    const last = this.runs.at(-1);
    if (!profile || !last || this.loading) return;
    const generation = this.generation;
    this.loading = true;
    const r = await this.api.runHistory({ profile, before: last.runId, limit: HISTORY_PAGE });
    if (generation !== this.generation) return;
    this.loading = false;
    if (!r.ok) {
      this.error = r.error;
      return;
    }
    this.runs = [...this.runs, ...r.value];
    this.more = r.value.length === HISTORY_PAGE;
  }
}
