// One group's transcript, loaded page by page by Seq (keyset) in either direction from where the person
// jumped to: the oldest or newest message, a Seq, a date, or a search hit opened in context.

import type { AppError, MessageView, ReadAnchor, ReaderPage, Result } from '../../../../app/ipc/contract';
import { api } from '../api';
import { locale } from '../locale.svelte';
import { transcriptRows } from '../transcript';
import type { GroupKey } from './groups.svelte';

const PAGE = 200;
const CONTEXT = 100;

export class ReaderState {
  profile = $state<string | undefined>();
  group = $state.raw<GroupKey | undefined>();
  messages = $state.raw<MessageView[]>([]);
  hasBefore = $state(false);
  hasAfter = $state(false);
  /** The message a jump or a search hit resolved to: scrolled into view and marked. */
  focusSeq = $state<number | undefined>();
  /** The Seq a jump asked for, to say so when the archive has no message under it. */
  askedSeq = $state<number | undefined>();
  /** Which end a jump without a focus asked for. */
  startAt = $state<'oldest' | 'newest'>('newest');
  /** Bumped on every jump, so the list scrolls to the focus again even when it is the same Seq. */
  jumps = $state(0);
  loading = $state<'jump' | 'older' | 'newer' | undefined>();
  error = $state.raw<AppError | undefined>();
  /** Set while the last change added messages before the first: the list keeps its place from the end. */
  shift = $state(false);
  private generation = 0;

  readonly rows = $derived(transcriptRows(this.messages, locale.clock));

  async open(profile: string, group: GroupKey, anchor: ReadAnchor): Promise<void> {
    const direction = anchor.at === 'oldest' ? 'after' : anchor.at === 'newest' ? 'before' : 'around';
    this.startAt = anchor.at === 'oldest' ? 'oldest' : 'newest';
    this.askedSeq = anchor.at === 'seq' ? anchor.seq : undefined;
    await this.jump(profile, group, direction === 'around', () => api.readPage({ profile, ...ref(group), anchor, direction, limit: direction === 'around' ? CONTEXT : PAGE }));
  }

  /** A search hit: the messages around it, the hit marked. */
  async openContext(profile: string, group: GroupKey, seq: number): Promise<void> {
    this.askedSeq = seq;
    await this.jump(profile, group, true, () => api.context({ profile, ...ref(group), seq, before: CONTEXT, after: CONTEXT }));
  }

  reset(): void {
    this.generation++;
    this.group = undefined;
    this.messages = [];
    this.focusSeq = undefined;
    this.loading = undefined;
    this.error = undefined;
  }

  async older(): Promise<void> {
    const first = this.messages[0];
    if (this.loading || !this.hasBefore || !first || !this.profile || !this.group) return;
    const page = await this.page('older', { at: 'seq', seq: first.seq }, 'before');
    if (!page) return;
    this.shift = true;
    this.messages = [...page.messages, ...this.messages];
    this.hasBefore = page.hasBefore;
  }

  async newer(): Promise<void> {
    const last = this.messages.at(-1);
    if (this.loading || !this.hasAfter || !last || !this.profile || !this.group) return;
    const page = await this.page('newer', { at: 'seq', seq: last.seq }, 'after');
    if (!page) return;
    this.shift = false;
    this.messages = [...this.messages, ...page.messages];
    this.hasAfter = page.hasAfter;
  }

  private async page(kind: 'older' | 'newer', anchor: ReadAnchor, direction: 'before' | 'after'): Promise<ReaderPage | undefined> {
    const generation = this.generation;
    this.loading = kind;
    const r = await api.readPage({ profile: this.profile!, ...ref(this.group!), anchor, direction, limit: PAGE, exclusive: true });
    if (generation !== this.generation) return undefined;
    this.loading = undefined;
    if (!r.ok) {
      this.error = r.error;
      return undefined;
    }
    return r.value;
  }

  /** `focus`: the page is around a message to show (a Seq, a date, a hit), not at one end of the history. */
  private async jump(profile: string, group: GroupKey, focus: boolean, call: () => Promise<Result<ReaderPage>>): Promise<void> {
    const generation = ++this.generation;
    this.profile = profile;
    this.group = group;
    this.loading = 'jump';
    this.error = undefined;
    const r = await call();
    if (generation !== this.generation) return;
    this.loading = undefined;
    this.shift = false;
    if (!r.ok) {
      this.messages = [];
      this.error = r.error;
      return;
    }
    this.messages = r.value.messages;
    this.hasBefore = r.value.hasBefore;
    this.hasAfter = r.value.hasAfter;
    this.focusSeq = focus ? r.value.focusSeq : undefined;
    this.jumps++;
  }
}

function ref(g: GroupKey): GroupKey {
  return { groupId: g.groupId, ...(g.topicId ? { topicId: g.topicId } : {}) };
}

export const reader = new ReaderState();
