// The app's groups, as a person choosing what to back up needs to see them: every group ID (get_appid_group_list,
// paged with its 64-bit cursor at Tencent's 1 call/s), then type, name, members and newest Seq from
// get_group_info in batches of 50, and the topics of Community groups (get_topic). All go through the app's pacer;
// the listing also through its own 1/s one.

import type { GetAppidGroupListRequest, GetAppidGroupListResponse, GroupInfo, TopicInfo } from '../im/wire';
import { LIMITS, NO_HISTORY_TYPES } from '../im/wire';
import { DEFAULT_RETRY } from './backoff';
import { type CallContext, type HistoryApi, newCounters } from './context';
import { Pacer } from './pacer';
import { paced } from './request';
import { listTopics, mayHaveTopics } from './topics';

export interface DirectoryApi extends HistoryApi {
  getAppidGroupList(req: GetAppidGroupListRequest): Promise<GetAppidGroupListResponse>;
}

export interface GroupListing {
  groupId: string;
  type?: string;
  name?: string;
  memberNum?: number;
  /** NextMsgSeq − 1; 0 for a group without messages. */
  newestSeq?: number;
  lastMsgTime?: number;
  /** False for AVChatRoom/BChatRoom: Tencent keeps no history for them. */
  keepsHistory: boolean;
  /** Set when get_group_info refused this one group. */
  error?: { code: number; info: string };
  info?: GroupInfo;
  /** Community groups with topics: each topic is backed up as a stream of its own. */
  topics?: TopicListing[];
}

export interface TopicListing {
  topicId: string;
  name?: string;
  /** The topic's own newest Seq (its NextMsgSeq − 1). */
  newestSeq?: number;
  lastMsgTime?: number;
  info: TopicInfo;
}

export interface DirectoryOptions {
  api: DirectoryApi;
  pacer: Pacer;
  signal?: AbortSignal;
  /** Called after each page so a UI can show the count growing. */
  onPage?: (listed: number, total: number) => void;
}

/** Lists every group of the app with its metadata. */
export async function listGroups(opts: DirectoryOptions): Promise<GroupListing[]> {
  const ctx: CallContext = {
    pacer: opts.pacer,
    retry: DEFAULT_RETRY,
    signal: opts.signal ?? new AbortController().signal,
    counters: newCounters(),
    random: Math.random,
  };
  const listPacer = new Pacer({ rate: LIMITS.groupListPerSecond });
  const ids: string[] = [];
  let next = '0';
  do {
    const page = await paced(ctx, '', async () => {
      await listPacer.acquire(ctx.signal);
      return opts.api.getAppidGroupList({ Limit: LIMITS.groupListMaxLimit, Next: next });
    });
    for (const g of page.GroupIdList) ids.push(g.GroupId);
    next = page.Next;
    opts.onPage?.(ids.length, page.TotalCount);
  } while (next !== '0');

  const listings: GroupListing[] = [];
  for (let i = 0; i < ids.length; i += LIMITS.groupInfoBatch) {
    const batch = ids.slice(i, i + LIMITS.groupInfoBatch);
    const infos = await paced(ctx, '', () => opts.api.getGroupInfo(batch));
    for (const info of infos) listings.push(toListing(info));
  }
  await Promise.all(
    listings.map(async (g) => {
      if (!mayHaveTopics(g.info)) return;
      const topics = await listTopics(ctx, opts.api, g.groupId);
      if (topics.length > 0) g.topics = topics.map(toTopicListing);
    }),
  );
  return listings;
}

function toTopicListing(t: TopicInfo): TopicListing {
  return {
    topicId: t.TopicId,
    ...(t.TopicName !== undefined ? { name: t.TopicName } : {}),
    ...(t.NextMsgSeq !== undefined ? { newestSeq: t.NextMsgSeq - 1 } : {}),
    ...(t.LastMsgTime !== undefined ? { lastMsgTime: t.LastMsgTime } : {}),
    info: t,
  };
}

export function toListing(info: GroupInfo): GroupListing {
  if (info.ErrorCode !== 0) {
    return { groupId: info.GroupId, keepsHistory: false, error: { code: info.ErrorCode, info: info.ErrorInfo } };
  }
  return {
    groupId: info.GroupId,
    ...(info.Type !== undefined ? { type: info.Type } : {}),
    ...(info.Name !== undefined ? { name: info.Name } : {}),
    ...(info.MemberNum !== undefined ? { memberNum: info.MemberNum } : {}),
    ...(info.NextMsgSeq !== undefined ? { newestSeq: info.NextMsgSeq - 1 } : {}),
    ...(info.LastMsgTime !== undefined ? { lastMsgTime: info.LastMsgTime } : {}),
    keepsHistory: !(info.Type && NO_HISTORY_TYPES.has(info.Type)),
    info,
  };
}
