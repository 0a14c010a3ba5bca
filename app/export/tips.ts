// Group system messages as what happened, not as fields: "Alice invited Bob to the group", "王五 将 李四 禁言 10 分钟".
// Tencent documents the shape of group tips (TIMGroupTipElem) and system notices (TIMGroupSystemNoticeElem) for its
// SDKs, not for this API, so this reads them leniently: a known operation with the people it names becomes an
// event; anything else stays a generic "group update" — and the raw fields always stay one click away.

import type { Person } from './view';

export type TipKind =
  | 'join' | 'invite' | 'leave' | 'kick' | 'admin-set' | 'admin-unset'
  | 'rename' | 'notice' | 'introduction' | 'avatar' | 'profile' | 'mute-all' | 'unmute-all'
  | 'mute' | 'unmute' | 'member-info'
  | 'topic-created' | 'topic-deleted' | 'topic-changed'
  | 'dismissed' | 'created' | 'other';

export interface TipEvent {
  kind: TipKind;
  operator?: Person;
  members: Person[];
  /** The new name, notice or introduction text; the topic's name or ID. */
  text?: string;
  /** For a mute: how long, in seconds. */
  seconds?: number;
}

/** TIMGroupTipElem OpType, as Tencent's SDKs number group tips. */
const TIP_OP: Readonly<Record<number, TipKind>> = { 1: 'join', 2: 'leave', 3: 'kick', 4: 'admin-set', 5: 'admin-unset', 6: 'profile', 7: 'member-info', 8: 'topic-created', 9: 'topic-deleted', 10: 'topic-changed' };
/** TIMGroupSystemNoticeElem Type (ReportType) values whose meaning is certain enough to word. */
const NOTICE_TYPE: Readonly<Record<number, TipKind>> = { 4: 'kick', 5: 'dismissed', 6: 'created', 8: 'leave', 9: 'admin-set', 10: 'admin-unset' };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The event a tip or notice describes, or undefined when it does not say enough to word it. */
export function tipEvent(msgType: string, c: Obj, person: (account: string) => Person): TipEvent | undefined {
  const operator = str(c.Operator_Account) ?? str(c.OperatorAccount);
  const accounts = [c.MemberList_Account, c.MemberAccount_List, c.UserList_Account, c.Member_Account].find(Array.isArray) as unknown[] | undefined;
  const members = (accounts ?? (str(c.Member_Account) ? [c.Member_Account] : [])).filter((a): a is string => typeof a === 'string').map(person);
  const base = { ...(operator ? { operator: person(operator) } : {}), members };
  if (msgType === 'TIMGroupSystemNoticeElem') {
    const kind = typeof c.Type === 'number' ? NOTICE_TYPE[c.Type] : undefined;
    const text = str(c.Content);
    return { ...base, kind: kind ?? 'other', ...(text ? { text } : {}) };
  }
  const op = typeof c.OpType === 'number' ? TIP_OP[c.OpType] : undefined;
  if (!op) return undefined;
  if (op === 'join' && operator && members.some((m) => m.account !== operator)) return { ...base, kind: 'invite' };
  if (op === 'profile') return profileEvent(base, isObj(c.GroupInfo) ? c.GroupInfo : isObj(c.MsgGroupNewInfo) ? c.MsgGroupNewInfo : {});
  if (op === 'member-info') return muteEvent(base, c, person);
  if (op.startsWith('topic-')) {
    const topic = str(c.TopicName) ?? str(c.TopicId) ?? (isObj(c.TopicInfo) ? (str(c.TopicInfo.TopicName) ?? str(c.TopicInfo.TopicId)) : undefined);
    return { ...base, kind: op, ...(topic ? { text: topic } : {}) };
  }
  return { ...base, kind: op };
}

function profileEvent(base: Omit<TipEvent, 'kind'>, info: Obj): TipEvent {
  const shut = str(info.ShutUpAllMember);
  if (shut) return { ...base, kind: shut.toLowerCase() === 'on' ? 'mute-all' : 'unmute-all' };
  const fields: [string, TipKind][] = [['Name', 'rename'], ['Notification', 'notice'], ['Introduction', 'introduction']];
  for (const [key, kind] of fields) {
    const text = str(info[key]);
    if (text !== undefined) return { ...base, kind, text };
  }
  if (str(info.FaceUrl) !== undefined) return { ...base, kind: 'avatar' };
  return { ...base, kind: 'profile' };
}

/** A member-info tip: a mute (ShutupTime seconds, 0 = lifted) for the members it lists. */
function muteEvent(base: Omit<TipEvent, 'kind'>, c: Obj, person: (account: string) => Person): TipEvent {
  const list = (Array.isArray(c.MemberInfoList) ? c.MemberInfoList : Array.isArray(c.MsgMemberInfo) ? c.MsgMemberInfo : []).filter(isObj);
  const timed = list.filter((m) => typeof m.ShutupTime === 'number');
  if (timed.length === 0) return { ...base, kind: 'member-info' };
  const members = timed.map((m) => str(m.Member_Account) ?? str(m.MemberAccount)).filter((a): a is string => a !== undefined).map(person);
  const seconds = Math.max(...timed.map((m) => m.ShutupTime as number));
  return seconds > 0 ? { ...base, members, kind: 'mute', seconds } : { ...base, members, kind: 'unmute' };
}
