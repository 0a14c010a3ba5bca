// The search screen: the query and filters as typed, and the hits paged in by keyset (`next`) as the list
// scrolls. A newer search makes the answers of older ones stale, so they are dropped when they arrive.

import type { AppError, FilterKind, Said, MessageFilter, SearchHit, SortOrder } from '../../../../app/ipc/contract';
import { narrows, parseDate } from '../../../../app/search/filter';
import { api } from '../api';
import type { GroupKey } from './groups.svelte';

const PAGE = 50;

export class SearchState {
  query = $state('');
  groupIds = $state<string[]>([]);
  senders = $state('');
  /** YYYY-MM-DD from the date inputs; empty = open. */
  since = $state('');
  until = $state('');
  kinds = $state<FilterKind[]>([]);
  order = $state<SortOrder>('newest');

  hits = $state.raw<SearchHit[]>([]);
  next = $state<string | undefined>();
  loading = $state(false);
  searched = $state(false);
  nothingToSearch = $state<Said | undefined>();
  error = $state.raw<AppError | undefined>();
  private generation = 0;
  private profile: string | undefined;
  /** The query and filters of the last search run. */
  private ranFor = $state('');

  private readonly request = $derived(JSON.stringify([this.query, this.groupIds, this.senders, this.since, this.until, this.kinds, this.order]));
  /** The query or a filter changed since the last search. */
  readonly changed = $derived(this.request !== this.ranFor);

  filter(): MessageFilter {
    const senders = this.senders
      .split(/[,，\s]+/u)
      .map((s) => s.trim())
      .filter(Boolean);
    return {
      ...(this.groupIds.length ? { groupIds: [...this.groupIds] } : {}),
      ...(senders.length ? { senders } : {}),
      ...(this.since ? { since: parseDate(this.since, 'since') } : {}),
      ...(this.until ? { until: parseDate(this.until, 'until') } : {}),
      ...(this.kinds.length ? { kinds: [...this.kinds] } : {}),
    };
  }

  async run(profile: string): Promise<void> {
    this.profile = profile;
    this.ranFor = this.request;
    const generation = ++this.generation;
    this.hits = [];
    this.next = undefined;
    this.nothingToSearch = undefined;
    this.error = undefined;
    // Filters alone are a search too; an empty box with no filter is nothing to ask for.
    if (!this.query.trim() && !narrows(this.filter())) {
      this.searched = false;
      this.loading = false;
      return;
    }
    await this.page(generation, undefined);
  }

  /** The next page, when the list nears its end. */
  async more(): Promise<void> {
    if (this.loading || !this.next || !this.profile) return;
    await this.page(this.generation, this.next);
  }

  private async page(generation: number, after: string | undefined): Promise<void> {
    this.loading = true;
    const r = await api.search({ profile: this.profile!, query: this.query, filter: this.filter(), order: this.order, limit: PAGE, ...(after ? { after } : {}) });
    if (generation !== this.generation) return;
    this.loading = false;
    this.searched = true;
    if (!r.ok) {
      this.error = r.error;
      return;
    }
    this.hits = after ? [...this.hits, ...r.value.hits] : r.value.hits;
    this.next = r.value.next;
    this.nothingToSearch = r.value.nothingToSearch;
  }

  /** Another profile: its archive has other messages. */
  reset(): void {
    this.generation++;
    this.hits = [];
    this.next = undefined;
    this.searched = false;
    this.loading = false;
    this.error = undefined;
    this.nothingToSearch = undefined;
    this.groupIds = [];
    this.ranFor = '';
  }

  toggleKind(kind: FilterKind, on: boolean): void {
    this.kinds = on ? [...new Set([...this.kinds, kind])] : this.kinds.filter((k) => k !== kind);
  }
}

export function hitGroup(hit: SearchHit): GroupKey {
  return { groupId: hit.groupId, ...(hit.topicId ? { topicId: hit.topicId } : {}) };
}

export const search = new SearchState();
