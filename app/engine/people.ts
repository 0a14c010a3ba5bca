// Who the senders are: after a run's history, each backed-up group's member list (group cards, roles, who left)
// and the profiles (nick, avatar) of its members and of everyone who ever sent a message in it. Every call goes
// through the app's pacer like the history does. Cost stays bounded: a member list costs MemberNum / 200 calls
// (pages of an ordinary group all at once, since get_group_info told us MemberNum), and profiles are fetched only
// for accounts never seen or last fetched longer ago than `maxAgeMs`, 100 to a call. A member list is read again
// when it is older than `memberListMaxAgeMs` (default a day, like profiles), when get_group_info's MemberNum is not
// the number of members it holds, or when someone it never held has spoken: an incremental run of a quiet group
// reads no member page (the bench measured a third of an incremental run's calls spent re-reading unchanged lists).
// The price: a renamed group card in a group nobody joined or left is seen within a day, not at the next run.

import type { Archive } from '../archive';
import { ImError } from '../im/errors';
import { type GetGroupMemberInfoResponse, type GroupMember, LIMITS, TAG_IMAGE, TAG_NICK, type UserProfileItem } from '../im/wire';
import { type CallContext, newCounters, type PeopleApi } from './context';
import { GroupSkipped, paced, WindowFailed } from './request';

/** Profiles are refreshed once they are older than this (ms), unless the caller says otherwise. */
export const DEFAULT_PROFILE_MAX_AGE_MS = 24 * 3600 * 1000;

export interface PeopleTarget {
  groupId: string;
  /** Community groups page their members with Next; the others with Offset. */
  community: boolean;
  /** From get_group_info: lets an ordinary group's pages be asked for at once. */
  memberNum?: number;
  /** The archive's groups (the group itself, or its topics) that this member list labels. */
  gids: number[];
}

export interface PeopleSummary {
  /** Member lists read whole, of the groups asked. */
  groupsListed: number;
  members: number;
  profilesFetched: number;
  /** Calls made for people (member pages and portrait_get batches), retries included. */
  requests: number;
  /** Why some of it could not be fetched; the history is unaffected and the next run tries again. */
  problems: string[];
}

export interface PeopleOptions {
  ctx: CallContext;
  api: PeopleApi;
  archive: Archive;
  sdkAppId: number;
  targets: PeopleTarget[];
  maxAgeMs?: number;
  /** Member lists read more recently than this (ms) are not read again unless MemberNum changed or a newcomer
   *  spoke; default DEFAULT_PROFILE_MAX_AGE_MS. 0: every run. */
  memberListMaxAgeMs?: number;
  /** The run whose newly stored messages may reveal newcomers. */
  runId: number;
  now?: () => number;
}

export async function fetchPeople(options: PeopleOptions): Promise<PeopleSummary> {
  // Counted apart from the history's calls, so a run can say what people cost it.
  const o = { ...options, ctx: { ...options.ctx, counters: newCounters() } };
  const summary: PeopleSummary = { groupsListed: 0, members: 0, profilesFetched: 0, requests: 0, problems: [] };
  const now = o.now ?? Date.now;
  const listStale = now() - (o.memberListMaxAgeMs ?? DEFAULT_PROFILE_MAX_AGE_MS);
  const lists = o.targets.filter((t) => t.gids.some((gid) => o.archive.memberListDue(gid, listStale, o.runId, t.memberNum)));
  await Promise.all(
    lists.map(async (t) => {
      try {
        const { members, complete } = await memberList(o.ctx, o.api, t);
        const at = now();
        for (const gid of t.gids) o.archive.upsertMembers(gid, members, { at, complete });
        if (complete) summary.groupsListed++;
        else summary.problems.push(`${t.groupId}: the member list changed while it was read; departures are checked again next time.`);
        summary.members += members.length;
      } catch (err) {
        summary.problems.push(`${t.groupId}: the member list could not be read: ${reasonOf(err)}`);
      }
    }),
  );
  const due = o.archive.profilesDue(o.sdkAppId, o.targets.flatMap((t) => t.gids), now() - (o.maxAgeMs ?? DEFAULT_PROFILE_MAX_AGE_MS));
  const batches: string[][] = [];
  for (let i = 0; i < due.length; i += LIMITS.portraitBatch) batches.push(due.slice(i, i + LIMITS.portraitBatch));
  await Promise.all(
    batches.map(async (batch) => {
      try {
        const items = await paced(o.ctx, '', () => o.api.portraitGet(batch, [TAG_NICK, TAG_IMAGE]));
        o.archive.upsertProfiles(o.sdkAppId, items.map(profileOf), { at: now() });
        summary.profilesFetched += items.length;
      } catch (err) {
        summary.problems.push(`profiles of ${batch.length} accounts could not be read: ${reasonOf(err)}`);
      }
    }),
  );
  summary.requests = o.ctx.counters.requests;
  return summary;
}

/**
 * Every page of one group's member list. `complete` only when the pages add up to the MemberNum Tencent reported
 * throughout: people joining or leaving meanwhile shift Offset pages, and a list with a hole must not mark the
 * people in it as departed.
 */
async function memberList(ctx: CallContext, api: PeopleApi, t: PeopleTarget): Promise<{ members: GroupMember[]; complete: boolean }> {
  const limit = LIMITS.memberInfoMaxLimit;
  const call = (cursor: { Offset: number } | { Next: string }) => paced(ctx, t.groupId, () => api.getGroupMemberInfo({ GroupId: t.groupId, Limit: limit, ...cursor }));
  const pages: GetGroupMemberInfoResponse[] = [];
  if (t.community) {
    let next = '';
    const seen = new Set<string>();
    do {
      seen.add(next);
      const page = await call({ Next: next });
      pages.push(page);
      next = page.Next ?? '';
      if (next !== '' && seen.has(next)) throw ImError.protocol('cursor-loop', 'get_group_member_info');
    } while (next !== '');
  } else {
    // One page even when MemberNum says 0: the answer's own MemberNum is what counts.
    let total = Math.max(1, t.memberNum ?? limit);
    for (let offset = 0; offset < total; ) {
      const ahead = [];
      for (; offset < total; offset += limit) ahead.push(call({ Offset: offset }));
      pages.push(...(await Promise.all(ahead)));
      // The group grew past what get_group_info said: read on from where we stopped.
      total = Math.max(total, ...pages.map((p) => p.MemberNum));
      if (pages.at(-1)!.MemberList.length < limit) break;
    }
  }
  const byAccount = new Map<string, GroupMember>();
  for (const p of pages) for (const m of p.MemberList) byAccount.set(m.Member_Account, m);
  const counts = new Set(pages.map((p) => p.MemberNum));
  return { members: [...byAccount.values()], complete: counts.size === 1 && byAccount.size === pages[0]!.MemberNum };
}

function profileOf(item: UserProfileItem): { account: string; nick?: string; image?: string; resultCode: number } {
  if (item.ResultCode !== 0) return { account: item.To_Account, resultCode: item.ResultCode };
  const tag = (name: string) => {
    const v = item.ProfileItem?.find((p) => p.Tag === name)?.Value;
    return typeof v === 'string' ? v : undefined;
  };
  // A tag the user never set is left out of the answer: that is an empty value, not an unknown one.
  return { account: item.To_Account, nick: tag(TAG_NICK) ?? '', image: tag(TAG_IMAGE) ?? '', resultCode: 0 };
}

function reasonOf(err: unknown): string {
  if (err instanceof GroupSkipped || err instanceof WindowFailed || err instanceof ImError) return err.message;
  throw err;
}
