// One group's coverage: what the archive holds Seq by Seq, what expired, failed or is missing.

import type { AppError, CoverageReport } from '../../../../app/ipc/contract';
import { api } from '../api';
import type { GroupKey } from './groups.svelte';

export class CoverageState {
  group = $state.raw<GroupKey | undefined>();
  profile = $state<string | undefined>();
  report = $state.raw<CoverageReport | undefined>();
  loading = $state(false);
  error = $state.raw<AppError | undefined>();
  /** The other groups a clicked notification named as incomplete, to open next. */
  named = $state.raw<GroupKey[]>([]);
  private generation = 0;

  reset(): void {
    this.generation++;
    this.named = [];
    this.group = undefined;
    this.report = undefined;
    this.loading = false;
    this.error = undefined;
  }

  /** After a backup of the profile: the report shown is read again, so it never states what was true before. */
  async refresh(profile: string): Promise<void> {
    if (this.group && this.profile === profile) await this.load(profile, this.group);
  }

  async load(profile: string, group: GroupKey): Promise<void> {
    this.profile = profile;
    const generation = ++this.generation;
    this.group = group;
    this.loading = true;
    this.error = undefined;
    const r = await api.coverage({ profile, groupId: group.groupId, ...(group.topicId ? { topicId: group.topicId } : {}) });
    if (generation !== this.generation) return;
    this.loading = false;
    if (r.ok) this.report = r.value;
    else {
      this.report = undefined;
      this.error = r.error;
    }
  }
}

export const coverage = new CoverageState();
