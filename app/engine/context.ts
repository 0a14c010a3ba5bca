// What every part of one backup run shares: the API, the app's pacer, the archive, the retry policy, the
// cancel signal and the run's counters. Keeping it in one object keeps the fetch functions free of globals,
// so several runs (several apps) can coexist in one worker.

import type { Archive } from '../archive';
import type { GetGroupMemberInfoRequest, GetGroupMemberInfoResponse, GroupInfo, GroupMsgGetSimpleRequest, GroupMsgGetSimpleResponse, TopicAndSelfInfo, UserProfileItem } from '../im/wire';
import type { RetryPolicy } from './backoff';
import type { Pacer } from './pacer';
import type { RunCounters } from './progress';

export type { RunCounters };

/** The part of the IM client the engine needs (ImClient satisfies it; tests may wrap it to count calls). */
export interface HistoryApi {
  groupMsgGetSimple(req: GroupMsgGetSimpleRequest): Promise<GroupMsgGetSimpleResponse>;
  getGroupInfo(groupIds: string[]): Promise<GroupInfo[]>;
  /** get_topic: the topics of a Community group. */
  getTopic(groupId: string): Promise<TopicAndSelfInfo[]>;
}

/** What the engine asks about people: one page of a member list, one batch (≤ 100) of profiles. */
export interface PeopleApi {
  getGroupMemberInfo(req: GetGroupMemberInfoRequest): Promise<GetGroupMemberInfoResponse>;
  portraitGet(accounts: string[], tags: string[]): Promise<UserProfileItem[]>;
}

export type BackupApi = HistoryApi & PeopleApi;

/** What a paced, retried API call needs. */
export interface CallContext {
  readonly pacer: Pacer;
  readonly retry: RetryPolicy;
  readonly signal: AbortSignal;
  readonly counters: RunCounters;
  readonly random: () => number;
}

export interface EngineContext extends CallContext {
  readonly api: HistoryApi;
  readonly archive: Archive;
  readonly runId: number;
}

export function newCounters(): RunCounters {
  return { requests: 0, retries: 0, rateLimited: 0, messagesStored: 0, windowsDone: 0, windowsFailed: 0 };
}

/** One group (or one topic of a Community group) as the engine addresses it. */
export interface GroupRef {
  readonly gid: number;
  readonly groupId: string;
  readonly topicId?: string;
}
