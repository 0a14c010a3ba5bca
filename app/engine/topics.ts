// Community topics. A Community group with topics keeps each topic's messages in the topic's own Seq space
// (group_msg_get_simple + TopicId), so a backup that read only the group would lose every topic. The engine,
// the archive and every screen address a topic like a group of its own: the group's ID plus the topic's ID.

import type { GroupInfo, TopicAndSelfInfo, TopicInfo } from '../im/wire';
import { TOPIC_GROUP_TYPE } from '../im/wire';
import type { CallContext } from './context';
import { GroupSkipped, paced } from './request';

export interface TopicApi {
  getTopic(groupId: string): Promise<TopicAndSelfInfo[]>;
}

/** Whether get_topic is worth asking: only Community groups can have topics. */
export function mayHaveTopics(info: GroupInfo | undefined): boolean {
  return info !== undefined && info.ErrorCode === 0 && info.Type === TOPIC_GROUP_TYPE;
}

/**
 * The topics of one Community group, in Tencent's order. A group that never turned topics on answers a group
 * error (10007), as does one dismissed meanwhile: both have no topics to back up, so that is [] and not a failure.
 */
export async function listTopics(ctx: CallContext, api: TopicApi, groupId: string): Promise<TopicInfo[]> {
  let items: TopicAndSelfInfo[];
  try {
    items = await paced(ctx, groupId, () => api.getTopic(groupId));
  } catch (err) {
    if (err instanceof GroupSkipped) return [];
    throw err;
  }
  return items.flatMap((i) => (i.ErrorCode === 0 && i.TopicInfo && typeof i.TopicInfo.TopicId === 'string' ? [i.TopicInfo] : []));
}

/**
 * A topic in the shape the engine and the archive keep for a group: the group's own fields, with the topic's name,
 * Seq space and times over them; the topic's record itself stays whole under `Topic`, lossless like every answer.
 */
export function topicAsGroupInfo(group: GroupInfo, topic: TopicInfo): GroupInfo {
  const { NextMsgSeq, LastMsgTime, CreateTime, TopicName } = topic;
  // The group's own NextMsgSeq belongs to another Seq space: without the topic's, the engine asks the topic itself.
  const shared: GroupInfo = { ...group };
  delete shared.NextMsgSeq;
  return {
    ...shared,
    ...(TopicName !== undefined ? { Name: TopicName } : {}),
    ...(NextMsgSeq !== undefined ? { NextMsgSeq } : {}),
    ...(LastMsgTime !== undefined ? { LastMsgTime } : {}),
    ...(CreateTime !== undefined ? { CreateTime } : {}),
    Topic: topic,
  };
}
