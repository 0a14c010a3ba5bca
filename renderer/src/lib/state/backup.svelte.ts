// The backup of the profile in use: started here or by "fetch missing" (or found running when the window opens),
// followed through its events, and its summary kept until dismissed. Events may arrive before startBackup
// resolves, so they are matched by profile.

import type { AppError, BackupProgress, BackupSummary, Events, RunningBackup } from '../../../../app/ipc/contract';
import { api } from '../api';
import type { GroupKey } from './groups.svelte';

export class BackupState {
  profile = $state<string | undefined>();
  backupId = $state<string | undefined>();
  progress = $state.raw<BackupProgress | undefined>();
  summary = $state.raw<BackupSummary | undefined>();
  starting = $state(false);
  cancelling = $state(false);
  error = $state.raw<AppError | undefined>();
  /** What the last backup was asked to do, so "back up again" resumes exactly that. */
  private lastRequest: { profile: string; groups: GroupKey[] } | undefined;

  readonly running = $derived(this.starting || (this.backupId !== undefined && this.summary === undefined));

  async start(profile: string, groups: GroupKey[]): Promise<boolean> {
    this.lastRequest = { profile, groups };
    return this.begin(profile, () => api.startBackup({ profile, groups: groups.map((g) => ({ groupId: g.groupId, ...(g.topicId ? { topicId: g.topicId } : {}) })) }));
  }

  async fetchMissing(profile: string, group: GroupKey): Promise<boolean> {
    this.lastRequest = { profile, groups: [group] };
    return this.begin(profile, () => api.fetchMissing({ profile, groupId: group.groupId, ...(group.topicId ? { topicId: group.topicId } : {}) }));
  }

  /** "Retry what failed": a backup of exactly the groups run `runId` left unfinished. */
  async retryRun(profile: string, runId: number): Promise<boolean> {
    // Backing up again after a retry is a backup of every group: it fetches what is missing anywhere.
    this.lastRequest = { profile, groups: [] };
    return this.begin(profile, () => api.retryRun({ profile, runId }));
  }

  /** Runs the last request again: the engine continues where a cancelled or failed run stopped. */
  async again(): Promise<boolean> {
    const last = this.lastRequest;
    return last ? this.start(last.profile, last.groups) : false;
  }

  async cancel(): Promise<void> {
    if (!this.profile || !this.running) return;
    this.cancelling = true;
    const r = await api.cancelBackup({ profile: this.profile });
    this.cancelling = false;
    if (!r.ok) this.error = r.error;
  }

  /** The profile in use changed: its backup's events are the ones to follow (a running backup keeps its own). */
  follow(profile: string): void {
    if (this.running || profile === this.profile) return;
    this.dismiss();
    this.profile = profile;
  }

  /** Follows a backup the worker is running already (the window was reloaded meanwhile). */
  attach(profile: string, running: RunningBackup): void {
    if (profile !== this.profile || this.backupId !== undefined || this.starting) return;
    this.backupId = running.backupId;
    this.progress ??= running.progress;
  }

  dismiss(): void {
    this.summary = undefined;
    this.progress = undefined;
    this.backupId = undefined;
    this.error = undefined;
  }

  onProgress(e: Events['backupProgress']): void {
    if (e.profile !== this.profile || (this.backupId !== undefined && e.backupId !== this.backupId)) return;
    this.backupId = e.backupId;
    this.progress = e.progress;
  }

  onDone(e: Events['backupDone']): void {
    if (e.profile !== this.profile || (this.backupId !== undefined && e.backupId !== this.backupId)) return;
    this.backupId = e.backupId;
    this.summary = e.summary;
    this.cancelling = false;
  }

  private async begin(profile: string, call: () => ReturnType<typeof api.startBackup>): Promise<boolean> {
    this.dismiss();
    this.profile = profile;
    this.starting = true;
    const r = await call();
    this.starting = false;
    if (!r.ok) {
      this.error = r.error;
      return false;
    }
    this.backupId = r.value.backupId;
    return true;
  }
}

export const backup = new BackupState();
