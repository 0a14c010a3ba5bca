// The Overview, the app's home: the profile at a glance (last and next backup, the earliest deadline, archive size
// and free disk) and each archived group or topic with its completeness, last backup and deadline — the
// worker's `overview` joined with the archive's group list, which carries app/coverage's verdicts. A profile with
// no archive yet gets the pre-flight estimate instead.

import type { AppError, Estimate, GroupArchiveState, GroupStatus, ProfileOverview, RendererApi } from '../../../../app/ipc/contract';
import { groupKey } from '../group-key';

export type OverviewApi = Pick<RendererApi, 'overview' | 'listGroups' | 'estimate'>;

export interface OverviewRow extends GroupStatus {
  /** What the archive holds, with app/coverage's verdict. */
  archive?: GroupArchiveState;
}

export class OverviewState {
  profile = $state<string | undefined>();
  overview = $state.raw<ProfileOverview | undefined>();
  rows = $state.raw<OverviewRow[]>([]);
  loading = $state(false);
  error = $state.raw<AppError | undefined>();
  estimate = $state.raw<Estimate | undefined>();
  estimating = $state(false);
  estimateError = $state.raw<AppError | undefined>();
  private generation = 0;

  /** No archive yet: nothing has been backed up, so the pre-flight estimate comes first. */
  readonly firstTime = $derived(this.overview !== undefined && this.overview.archiveBytes === undefined);
  readonly attention = $derived(this.rows.filter((r) => r.attention.length > 0));

  constructor(private readonly api: OverviewApi) {}

  /** After a backup of the profile: read again, so the screen never states what was true before. */
  async refresh(profile: string): Promise<void> {
    if (this.profile === profile) await this.load(profile);
  }

  async load(profile: string): Promise<void> {
    const generation = ++this.generation;
    if (profile !== this.profile) {
      this.profile = profile;
      this.overview = undefined;
      this.rows = [];
      this.estimate = undefined;
      this.estimateError = undefined;
    }
    this.loading = true;
    this.error = undefined;
    const [overview, archived] = await Promise.all([this.api.overview({ profile }), this.api.listGroups({ profile, source: 'archive' })]);
    if (generation !== this.generation) return;
    this.loading = false;
    if (!overview.ok) {
      this.error = overview.error;
      return;
    }
    const entries = archived.ok ? archived.value : [];
    const byKey = new Map(entries.map((e) => [groupKey(e), e]));
    this.overview = overview.value;
    this.rows = overview.value.groups.map((g): OverviewRow => {
      const entry = byKey.get(groupKey(g));
      return { ...g, ...(entry?.archive ? { archive: entry.archive } : {}) };
    });
    if (this.firstTime && !this.estimate && !this.estimating) void this.loadEstimate(profile);
  }

  /** Asks Tencent for every group's newest message (the group listing, 1 call a second) and works out the cost. */
  async loadEstimate(profile: string): Promise<void> {
    const generation = this.generation;
    this.estimating = true;
    this.estimateError = undefined;
    const r = await this.api.estimate({ profile, groups: [] });
    if (generation !== this.generation || profile !== this.profile) return;
    this.estimating = false;
    if (r.ok) this.estimate = r.value;
    else this.estimateError = r.error;
  }
}
