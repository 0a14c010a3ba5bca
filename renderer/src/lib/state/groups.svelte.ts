// The app's groups with what the archive holds of each: the archive's list at once (offline), then Tencent's
// full list (paged by the worker at Tencent's 1 call per second, with progress events). Filtering and the
// selection are local.

import { SvelteSet } from 'svelte/reactivity';
import type { AppError, Events, GroupEntry } from '../../../../app/ipc/contract';
import { api } from '../api';
import { type GroupKey, groupKey } from '../group-key';

export { type GroupKey, groupKey } from '../group-key';

/** What a group is called on screen: its name, else its topic or group ID. */
export function groupLabel(g: GroupKey & { name?: string }): string {
  return g.name?.trim() ? g.name : (g.topicId ?? g.groupId);
}

export class GroupsState {
  entries = $state.raw<GroupEntry[]>([]);
  /** The profile the entries belong to. */
  profile = $state<string | undefined>();
  fromTencent = $state(false);
  loading = $state(false);
  listing = $state.raw<{ listed: number; total: number } | undefined>();
  error = $state.raw<AppError | undefined>();

  text = $state('');
  type = $state('');
  onlyArchived = $state(false);
  readonly selected = new SvelteSet<string>();

  readonly types = $derived([...new Set(this.entries.map((g) => g.type).filter((t): t is string => Boolean(t)))].sort());
  readonly shown = $derived(filterGroups(this.entries, this.text, this.type, this.onlyArchived));
  readonly archived = $derived(this.entries.filter((g) => g.archive));
  readonly selectedEntries = $derived(this.entries.filter((g) => this.selected.has(groupKey(g))));

  /** The archive's groups first (instant), then Tencent's list; keeps the archive's list if Tencent fails. */
  async load(profile: string): Promise<void> {
    if (this.profile !== profile) {
      this.profile = profile;
      this.entries = [];
      this.selected.clear();
      this.fromTencent = false;
    }
    this.loading = true;
    this.error = undefined;
    const local = await api.listGroups({ profile, source: 'archive' });
    if (this.profile !== profile) return;
    if (local.ok && !this.fromTencent) this.entries = local.value;
    await this.refresh(profile);
  }

  async refresh(profile: string): Promise<void> {
    this.loading = true;
    this.error = undefined;
    this.listing = undefined;
    const remote = await api.listGroups({ profile, source: 'tencent' });
    if (this.profile !== profile) return;
    this.loading = false;
    this.listing = undefined;
    if (remote.ok) {
      this.entries = remote.value;
      this.fromTencent = true;
      const keys = new Set(remote.value.map(groupKey));
      for (const k of [...this.selected]) if (!keys.has(k)) this.selected.delete(k);
    } else {
      this.error = remote.error;
    }
  }

  /** After a backup: what the archive now holds of each group (offline; Tencent's list is not asked again). */
  async refreshArchive(profile: string): Promise<void> {
    if (this.profile !== profile) return;
    const r = await api.listGroups({ profile, source: 'archive' });
    if (!r.ok || this.profile !== profile) return;
    const held = new Map(r.value.map((g) => [groupKey(g), g]));
    const known = new Set(this.entries.map(groupKey));
    this.entries = [
      ...this.entries.map((g) => {
        const a = held.get(groupKey(g))?.archive;
        return a ? { ...g, archive: a } : g;
      }),
      ...r.value.filter((g) => !known.has(groupKey(g))),
    ];
  }

  onProgress(e: Events['groupsProgress']): void {
    if (e.profile === this.profile && this.loading) this.listing = { listed: e.listed, total: e.total };
  }

  toggle(g: GroupEntry, on: boolean): void {
    const k = groupKey(g);
    if (on && g.canBackUp) this.selected.add(k);
    else this.selected.delete(k);
  }

  selectShown(on: boolean): void {
    for (const g of this.shown) this.toggle(g, on);
  }

  /** What a group or topic is called in titles: a topic under its group ("开发者社区 › 公告"), never alone. */
  title(key: GroupKey, fallbackName?: string): string {
    const entry = this.find(key);
    const own = entry ? groupLabel(entry) : groupLabel({ ...key, ...(fallbackName !== undefined ? { name: fallbackName } : {}) });
    if (!key.topicId) return own;
    const parent = this.find({ groupId: key.groupId });
    return `${parent ? groupLabel(parent) : key.groupId} › ${own}`;
  }

  /** Looks a group up (for names in search hits, the reader, export). */
  find(key: GroupKey): GroupEntry | undefined {
    return this.entries.find((g) => g.groupId === key.groupId && (g.topicId ?? '') === (key.topicId ?? ''));
  }
}

function filterGroups(entries: readonly GroupEntry[], text: string, type: string, onlyArchived: boolean): GroupEntry[] {
  const needle = text.trim().toLocaleLowerCase();
  return entries.filter(
    (g) =>
      (!type || g.type === type) &&
      (!onlyArchived || g.archive !== undefined) &&
      (!needle || [g.name, g.groupId, g.topicId].some((s) => s?.toLocaleLowerCase().includes(needle))),
  );
}

export const groups = new GroupsState();
