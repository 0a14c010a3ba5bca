// The state behind the Overview, the run history and the People view, against an in-memory stand-in for the IPC
// contract (the e2e tests drive the same screens against the real worker): what each asks for, how it joins and
// pages the answers, and that an answer for a profile or group no longer shown never lands.
import { describe, expect, it, vi } from 'vitest';
import type { GroupEntry, MemberEntry, PersonEntry, ProfileOverview, Result, RunEntry } from '../../app/ipc/contract';
import { HISTORY_PAGE, HistoryState } from '../../renderer/src/lib/state/history.svelte';
import { OverviewState } from '../../renderer/src/lib/state/overview.svelte';
import { filterPeople, PeopleState } from '../../renderer/src/lib/state/people.svelte';

const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
const DAY = 86_400_000;

function overviewOf(groups: ProfileOverview['groups'], over: Partial<ProfileOverview> = {}): ProfileOverview {
  return { retentionDays: 7, groups, archiveBytes: 1_000_000, freeDiskBytes: 9_000_000, ...over };
}

describe('OverviewState', () => {
  const status = (groupId: string, topicId?: string, attention: ProfileOverview['groups'][number]['attention'] = []) => ({
    groupId,
    ...(topicId ? { topicId } : {}),
    deadline: { basis: 'up-to-date' as const, expiresAt: 10 * DAY, dueAt: 9 * DAY },
    attention,
  });
  const entry = (groupId: string, state: 'complete' | 'incomplete', topicId?: string): GroupEntry => ({
    groupId,
    ...(topicId ? { topicId } : {}),
    canBackUp: true,
    archive: { messages: 5, failedSeqs: 0, missingSeqs: 0, completeness: { state, counts: {} as never } },
  });

  it('joins each group’s and topic’s deadline with its completeness, and lists what needs attention', async () => {
    const api = {
      overview: vi.fn(() => ok(overviewOf([status('g1', undefined, ['gaps']), status('c', 'c@TOPIC#_t'), status('g2')]))),
      listGroups: vi.fn(() => ok([entry('g1', 'incomplete'), entry('c', 'complete'), entry('c', 'incomplete', 'c@TOPIC#_t')])),
      estimate: vi.fn(),
    };
    const state = new OverviewState(api as never);
    await state.load('p');
    expect(api.listGroups).toHaveBeenCalledWith({ profile: 'p', source: 'archive' });
    expect(state.rows.map((r) => [r.groupId, r.topicId, r.archive?.completeness.state])).toEqual([
      ['g1', undefined, 'incomplete'],
      // The topic's own verdict, not its group's.
      ['c', 'c@TOPIC#_t', 'incomplete'],
      ['g2', undefined, undefined],
    ]);
    expect(state.attention.map((r) => r.groupId)).toEqual(['g1']);
    expect(state.firstTime).toBe(false);
    expect(api.estimate).not.toHaveBeenCalled();
  });

  it('a first-time profile (no archive yet) asks for the pre-flight estimate once', async () => {
    const estimate = { groups: 2, messages: 900, requests: 60, seconds: 0.3, rate: 180, diskBytes: 693_000, bytesPerMessage: 770, perGroup: [] };
    const api = { overview: vi.fn(() => ok(overviewOf([], { archiveBytes: undefined }))), listGroups: vi.fn(() => ok([])), estimate: vi.fn(() => ok(estimate)) };
    const state = new OverviewState(api as never);
    await state.load('p');
    expect(state.firstTime).toBe(true);
    await vi.waitFor(() => expect(state.estimate).toEqual(estimate));
    expect(api.estimate).toHaveBeenCalledWith({ profile: 'p', groups: [] });
    await state.load('p');
    expect(api.estimate).toHaveBeenCalledTimes(1);
  });

  it('an answer for a profile no longer shown is dropped', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const api = {
      overview: vi.fn(async ({ profile }: { profile: string }) => {
        if (profile === 'old') await slow;
        return { ok: true as const, value: overviewOf([status(profile)]) };
      }),
      listGroups: vi.fn(() => ok([])),
      estimate: vi.fn(),
    };
    const state = new OverviewState(api as never);
    const old = state.load('old');
    await state.load('new');
    release();
    await old;
    expect(state.rows.map((r) => r.groupId)).toEqual(['new']);
  });
});

describe('HistoryState', () => {
  const run = (runId: number): RunEntry => ({ runId, startedAt: runId * 1000, outcome: 'ok', newMessages: 1, requests: 1, retries: 0, failedMessages: 0, groups: [], description: '', canRetry: false });

  it('pages back from the oldest run shown while pages come back full', async () => {
    const all = Array.from({ length: HISTORY_PAGE + 5 }, (_, i) => run(HISTORY_PAGE + 5 - i));
    const api = {
      runHistory: vi.fn(({ before, limit }: { before?: number; limit: number }) => ok(all.filter((r) => before === undefined || r.runId < before).slice(0, limit))),
    };
    const state = new HistoryState(api as never);
    await state.load('p');
    expect(state.runs).toHaveLength(HISTORY_PAGE);
    expect(state.more).toBe(true);
    await state.older();
    expect(api.runHistory).toHaveBeenLastCalledWith({ profile: 'p', before: 6, limit: HISTORY_PAGE });
    expect(state.runs.map((r) => r.runId)).toEqual(all.map((r) => r.runId));
    expect(state.more).toBe(false);
  });

  it('refreshes only the profile it shows', async () => {
    const api = { runHistory: vi.fn(() => ok([run(1)])) };
    const state = new HistoryState(api as never);
    await state.load('p');
    await state.refresh('other');
    expect(api.runHistory).toHaveBeenCalledTimes(1);
    await state.refresh('p');
    expect(api.runHistory).toHaveBeenCalledTimes(2);
  });
});

describe('PeopleState', () => {
  const period = (value: string, firstSeen: number) => ({ value, firstSeen, lastSeen: firstSeen + DAY });
  const person = (account: string, cards: string[], over: Partial<MemberEntry> = {}): MemberEntry => ({
    account,
    messages: 3,
    lastSeen: 5 * DAY,
    ...(cards.length ? { card: cards.at(-1), name: cards.at(-1) } : {}),
    history: { card: cards.map((c, i) => period(c, i * DAY)), nick: [period(`${account}-nick`, 0)], role: [], avatar: [] },
    ...over,
  });
  const members = [person('u1', ['阿强', 'Qiang 强哥']), person('u2', ['Ｂｏｂ']), person('u3', [], { leftAt: 4 * DAY })];

  it('lists a group’s people, counts who is in the group and who left, and opens a sender’s card', async () => {
    const api = { members: vi.fn(() => ok(members)) };
    const state = new PeopleState(api as never);
    await state.load('p', { groupId: 'g', topicId: 't' }, 'u2');
    expect(api.members).toHaveBeenCalledWith({ profile: 'p', groupId: 'g', topicId: 't' });
    expect(state.person?.account).toBe('u2');
    expect([state.current, state.departed]).toEqual([2, 1]);
    // The same group again (another sender clicked): the list is not fetched again, the card changes.
    await state.load('p', { groupId: 'g', topicId: 't' }, 'u1');
    expect(api.members).toHaveBeenCalledTimes(1);
    expect(state.person?.card).toBe('Qiang 强哥');
  });

  it('lists everyone across groups, finds them by a card in any group, and goes back to one group', async () => {
    const everyone: PersonEntry[] = [
      { account: 'u1', name: 'u1-nick', messages: 5, groups: [
        { groupId: 'g', messages: 3, history: { card: [period('阿强', 0)], role: [] } },
        { groupId: 'h', messages: 2, history: { card: [period('Qiang in H', 0)], role: [] } },
      ], history: { nick: [period('u1-nick', 0)], avatar: [] } },
      { account: 'u9', messages: 1, groups: [{ groupId: 'h', messages: 1, history: { card: [], role: [] } }], history: { nick: [], avatar: [] } },
    ];
    const api = { members: vi.fn(() => ok(members)), people: vi.fn(() => ok(everyone)) };
    const state = new PeopleState(api as never);
    await state.load('p', { groupId: 'g' });
    await state.loadAll('p', 'u1');
    expect(api.people).toHaveBeenCalledWith({ profile: 'p' });
    expect(state.scope).toBe('all');
    expect(state.personAll?.groups.map((g) => g.groupId)).toEqual(['g', 'h']);
    state.text = 'qiang in h';
    expect(state.shownAll.map((m) => m.account)).toEqual(['u1']);
    state.text = '';
    // A sender clicked in the reader opens their card in their group again.
    await state.load('p', { groupId: 'g' }, 'u2');
    expect(state.scope).toBe('group');
    expect(state.person?.account).toBe('u2');
  });

  it('finds people by a current or earlier name, a nickname or the account, ignoring case and width', () => {
    expect(filterPeople(members, '阿强').map((m) => m.account)).toEqual(['u1']);
    expect(filterPeople(members, 'bob').map((m) => m.account)).toEqual(['u2']);
    expect(filterPeople(members, 'U3-NICK').map((m) => m.account)).toEqual(['u3']);
    expect(filterPeople(members, '  ')).toHaveLength(3);
  });
});
