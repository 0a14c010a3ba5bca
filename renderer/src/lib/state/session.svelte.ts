// Which profile is in use, which screen is shown, and the facts about the app. The first run (no profile) and
// a profile without a SecretKey land on the setup screen; a window opened (or reloaded) while the profile's backup
// runs re-attaches to it and shows it.

import type { AppError, AppInfo, NavigateTarget, Profile } from '../../../../app/ipc/contract';
import { api } from '../api';
import { locale } from '../locale.svelte';
import { backup } from './backup.svelte';
import { coverage } from './coverage.svelte';
import { exporter } from './export.svelte';
import { groups } from './groups.svelte';
import { history, people } from './screens';
import { reader } from './reader.svelte';
import { search } from './search.svelte';

export const SCREENS = ['overview', 'groups', 'backup', 'history', 'search', 'reader', 'people', 'export', 'coverage', 'setup'] as const;
export type Screen = (typeof SCREENS)[number];

const PROFILE_KEY = 'profile';

export class Session {
  profiles = $state.raw<Profile[]>([]);
  profileName = $state<string | undefined>();
  info = $state.raw<AppInfo | undefined>();
  screen = $state<Screen>('setup');
  ready = $state(false);
  error = $state.raw<AppError | undefined>();

  readonly profile = $derived(this.profiles.find((p) => p.name === this.profileName));

  /** Asking the worker what runs for the profile in use, to follow it. */
  private attaching: Promise<void> = Promise.resolve();
  /** A notification clicked before the profiles were loaded: shown once they are. */
  private pendingTarget: NavigateTarget | undefined;

  async load(): Promise<void> {
    const [info, profiles] = await Promise.all([api.appInfo(), api.listProfiles()]);
    if (info.ok) {
      this.info = info.value;
      locale.useSystemLocale(info.value.locale);
    }
    if (!profiles.ok) {
      this.error = profiles.error;
      this.ready = true;
      return;
    }
    this.profiles = profiles.value;
    const saved = localStorage.getItem(PROFILE_KEY);
    const first = profiles.value.find((p) => p.name === saved) ?? profiles.value[0];
    if (first) {
      // A profile whose SecretKey is not in the keychain (a new computer, a reset keyring) needs it first.
      const key = await api.hasSecretKey({ profile: first.name });
      // The Overview is the home: what needs attention and when the next backup must run.
      this.use(first.name, key.ok && key.value ? 'overview' : 'setup');
      await this.attaching;
      if (this.screen === 'overview' && backup.running) this.screen = 'backup';
    }
    this.ready = true;
    const target = this.pendingTarget;
    this.pendingTarget = undefined;
    if (target) this.navigate(target);
  }

  /**
   * A notification was clicked (main's `navigate` event): its profile, on the screen that explains it — the run
   * in the history, the incomplete groups' coverage, the Overview. A profile that no longer exists is ignored.
   */
  navigate(target: NavigateTarget): void {
    if (!this.ready) {
      this.pendingTarget = target;
      return;
    }
    if (!this.profiles.some((p) => p.name === target.profile)) return;
    this.use(target.profile, target.screen);
    if (target.screen === 'history') history.highlight(target.runId);
    if (target.screen === 'coverage') {
      const [first, ...others] = target.groups;
      if (first) void coverage.load(target.profile, first);
      coverage.named = others;
    }
  }

  async reloadProfiles(): Promise<void> {
    const r = await api.listProfiles();
    if (r.ok) this.profiles = r.value;
    if (this.profileName === undefined || this.profiles.some((p) => p.name === this.profileName)) return;
    // The profile in use was deleted (or renamed): carry on with another one, or none.
    const next = this.profiles[0];
    if (next) this.use(next.name);
    else this.profileName = undefined;
  }

  use(name: string, screen?: Screen): void {
    if (name !== this.profileName) {
      // What the other profile's screens showed came from its archive; its groups are listed afresh.
      for (const state of [search, reader, coverage, people]) state.reset();
      exporter.reset(name);
      backup.follow(name);
      void groups.load(name);
      this.attaching = this.attach(name);
    }
    this.profileName = name;
    localStorage.setItem(PROFILE_KEY, name);
    if (screen) this.screen = screen;
  }

  /** Follows the profile's backup and export the worker is running already, if any. */
  private async attach(name: string): Promise<void> {
    const r = await api.runningTasks({ profile: name });
    if (!r.ok || name !== this.profileName) return;
    if (r.value.backup) backup.attach(name, r.value.backup);
    exporter.attach(r.value.exports);
  }

  go(screen: Screen): void {
    this.screen = screen;
  }
}

export const session = new Session();
