// The People view: everyone the archive knows of one group — the name they go by, their 群名片 and nickname
// history, who left and when — and one person's card, opened from the list or from a message's sender.

import type { AppError, MemberEntry, RendererApi } from '../../../../app/ipc/contract';
import type { GroupKey } from '../group-key';

export type PeopleApi = Pick<RendererApi, 'members'>;

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

  readonly shown = $derived(filterPeople(this.members, this.text));
  readonly person = $derived(this.members.find((m) => m.account === this.selected));
  readonly current = $derived(this.members.filter((m) => m.lastSeen !== undefined && m.leftAt === undefined).length);
  readonly departed = $derived(this.members.filter((m) => m.leftAt !== undefined).length);

  constructor(private readonly api: PeopleApi) {}

  reset(): void {
    this.generation++;
    this.group = undefined;
    this.members = [];
    this.selected = undefined;
    this.text = '';
    this.loading = false;
    this.error = undefined;
  }

  /** Lists a group's people; `account` opens that person's card (a sender clicked in the reader). */
  async load(profile: string, group: GroupKey, account?: string): Promise<void> {
    const generation = ++this.generation;
    const same = this.profile === profile && this.group?.groupId === group.groupId && this.group?.topicId === group.topicId;
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

  select(account: string | undefined): void {
    this.selected = account;
  }
}

/** By any name they had (card or nickname, now or before) or their account, ignoring case and width. */
export function filterPeople(members: readonly MemberEntry[], text: string): readonly MemberEntry[] {
  const wanted = key(text);
  if (!wanted) return members;
  return members.filter((m) => [m.account, ...m.history.card.map((p) => p.value), ...m.history.nick.map((p) => p.value)].some((v) => key(v).includes(wanted)));
}

function key(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase();
}
