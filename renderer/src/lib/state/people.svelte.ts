// The People view: everyone the archive knows of one group — the name they go by, their 群名片 and nickname
// history, who left and when — or of all the profile's groups at once (each person once, with their groups), and
// one person's card, opened from the list or from a message's sender.

import type { AppError, MemberEntry, PersonEntry, RendererApi } from '../../../../app/ipc/contract';
import type { GroupKey } from '../group-key';

export type PeopleApi = Pick<RendererApi, 'members' | 'people'>;

/** One group, or every group of the profile. */
export type PeopleScope = 'group' | 'all';

export class PeopleState {
  profile = $state<string | undefined>();
  group = $state.raw<GroupKey | undefined>();
  members = $state.raw<MemberEntry[]>([]);
  /** The account whose card is open. */
  selected = $state<string | undefined>();
  text = $state('');
  loading = $state(false);
  error = $state.raw<AppError | undefined>();
  private generation = 0;

  scope = $state<PeopleScope>('group');
  /** Everyone across the profile's groups (scope 'all'). */
  everyone = $state.raw<PersonEntry[]>([]);

  readonly shown = $derived(filterPeople(this.members, this.text));
  readonly person = $derived(this.members.find((m) => m.account === this.selected));
  readonly shownAll = $derived(filterPeople(this.everyone, this.text));
  readonly personAll = $derived(this.everyone.find((m) => m.account === this.selected));
  readonly current = $derived(this.members.filter((m) => m.lastSeen !== undefined && m.leftAt === undefined).length);
  readonly departed = $derived(this.members.filter((m) => m.leftAt !== undefined).length);

  constructor(private readonly api: PeopleApi) {}

  reset(): void {
    this.generation++;
    this.group = undefined;
    this.members = [];
    this.scope = 'group';
    this.everyone = [];
    this.selected = undefined;
    this.text = '';
    this.loading = false;
    this.error = undefined;
  }

  /** Lists a group's people; `account` opens that person's card (a sender clicked in the reader). */
  async load(profile: string, group: GroupKey, account?: string): Promise<void> {
    const generation = ++this.generation;
    const same = this.profile === profile && this.group?.groupId === group.groupId && this.group?.topicId === group.topicId;
    this.scope = 'group';
    this.profile = profile;
    this.group = group;
    this.selected = account;
    if (account !== undefined) this.text = '';
    if (same && this.members.length > 0) return;
    this.members = [];
    this.loading = true;
    this.error = undefined;
    const r = await this.api.members({ profile, groupId: group.groupId, ...(group.topicId ? { topicId: group.topicId } : {}) });
    if (generation !== this.generation) return;
    this.loading = false;
    if (r.ok) this.members = r.value;
    else this.error = r.error;
  }

  /** Lists everyone of the profile's groups, each once; `account` opens that person's card. */
  async loadAll(profile: string, account?: string): Promise<void> {
    const generation = ++this.generation;
    this.scope = 'all';
    this.selected = account;
    this.profile = profile;
    this.everyone = [];
    this.loading = true;
    this.error = undefined;
    const r = await this.api.people({ profile });
    if (generation !== this.generation) return;
    this.loading = false;
    if (r.ok) this.everyone = r.value;
    else this.error = r.error;
  }

  select(account: string | undefined): void {
    this.selected = account;
  }
}

/** By any name they had (card in any group or nickname, now or before) or their account, ignoring case and width. */
export function filterPeople<T extends MemberEntry | PersonEntry>(members: readonly T[], text: string): readonly T[] {
  const wanted = key(text);
  if (!wanted) return members;
  const cards = (m: T) => ('groups' in m ? m.groups.flatMap((g) => g.history.card) : m.history.card);
  return members.filter((m) => [m.account, ...cards(m).map((p) => p.value), ...m.history.nick.map((p) => p.value)].some((v) => key(v).includes(wanted)));
}

function key(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase();
}
