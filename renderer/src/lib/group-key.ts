// A group or topic, as the window's states tell them apart (a Community's topics are streams of their own).

export interface GroupKey {
  groupId: string;
  topicId?: string;
}

export function groupKey(g: GroupKey): string {
  return g.topicId ? `${g.groupId}\u0000${g.topicId}` : g.groupId;
}
