// The six APIs behind the request checks: parameter validation with Tencent's codes, then the answer.
// A handler returns the fields after the envelope, or throws TimFail.

import { LIMITS, NO_HISTORY_TYPES, TAG_IMAGE, TAG_NICK } from '../../app/im/wire';
import { ERR, TimFail, fail } from './errors';
import type { EmuApp, EmuGroup, Profile } from './world';
import { maxMembers } from './world';
import type { ApiName } from './types';

export interface ApiContext {
  app: EmuApp;
  responseBudgetBytes: number;
}

type Body = Record<string, unknown>;
type Handler = (body: Body, ctx: ApiContext) => Record<string, unknown>;

/** Group IDs: at most 48 bytes, no control characters (Tencent's limit for custom IDs); anything else is 10015. */
function groupIdInvalid(id: string): boolean {
  return id === '' || Buffer.byteLength(id) > 48 || /[\u0000-\u001f\u007f-\u009f]/.test(id);
}

function optInt(body: Body, key: string, min: number, max: number): number | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    fail(ERR.invalidParam, `${key} must be an integer from ${min} to ${max}`);
  }
  return v;
}

function reqInt(body: Body, key: string, min: number, max: number): number {
  const v = optInt(body, key, min, max);
  if (v === undefined) fail(ERR.invalidParam, `${key} is required`);
  return v;
}

function optString(body: Body, key: string): string | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') fail(ERR.invalidParam, `${key} must be a string`);
  return v;
}

function stringList(body: Body, key: string, max: number): string[] {
  const v = body[key];
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string')) fail(ERR.invalidParam, `${key} must be a non-empty array of strings`);
  if (v.length > max) fail(ERR.invalidParam, `${key} has ${v.length} items; at most ${max} are allowed per request`);
  return v as string[];
}

/** GroupId: missing → 10004, malformed → 10015, unknown → 10010. */
function requireGroup(body: Body, app: EmuApp): EmuGroup {
  const id = body['GroupId'];
  if (id === undefined) fail(ERR.invalidParam, 'GroupId is required');
  if (typeof id !== 'string') fail(ERR.invalidParam, 'GroupId must be a string');
  return lookupGroup(id, app);
}

function lookupGroup(id: string, app: EmuApp): EmuGroup {
  if (groupIdInvalid(id)) fail(ERR.groupIdInvalid, `GroupId ${JSON.stringify(id)} is not a valid group ID`);
  const group = app.groups.get(id);
  if (!group) fail(ERR.groupNotFound, `group ${id} does not exist or has been dismissed`);
  return group;
}

const groupMsgGetSimple: Handler = (body, { app, responseBudgetBytes }) => {
  const group = requireGroup(body, app);
  const reqMsgNumber = reqInt(body, 'ReqMsgNumber', 1, Number.MAX_SAFE_INTEGER);
  const reqMsgSeq = optInt(body, 'ReqMsgSeq', 1, Number.MAX_SAFE_INTEGER);
  const withRecalled = optInt(body, 'WithRecalledMsg', 0, 1);
  const topicId = optString(body, 'TopicId');
  if (NO_HISTORY_TYPES.has(group.type)) fail(ERR.noPermission, `group ${group.id} is an ${group.type}: this group type keeps no message history`);
  let space = group.main;
  if (topicId !== undefined) {
    if (group.type !== 'Community') fail(ERR.invalidParam, `TopicId is only valid for Community groups; ${group.id} is ${group.type}`);
    const topic = group.topics.get(topicId);
    if (!topic) fail(ERR.groupNotFound, `topic ${topicId} does not exist in group ${group.id}`);
    space = topic;
  }
  const { list, isFinished } = space.read(
    { ...(reqMsgSeq !== undefined ? { reqMsgSeq } : {}), reqMsgNumber, withRecalled: withRecalled === 1 },
    responseBudgetBytes,
  );
  return { GroupId: group.id, IsFinished: isFinished, RspMsgList: list };
};

/** get_appid_group_list cursors: 2^57 + offset·64 + 17. Never a multiple of 32, so a client that rounds it
 *  through a double (spacing 32 up there) always sends back a different number and is told so. */
const CURSOR_BASE = 1n << 57n;
const CURSOR_STRIDE = 64n;
const CURSOR_TAG = 17n;
const GROUP_TYPES = new Map([
  ['Private', 'Private'], ['Work', 'Private'], ['Public', 'Public'], ['ChatRoom', 'ChatRoom'], ['Meeting', 'ChatRoom'],
  ['AVChatRoom', 'AVChatRoom'], ['BChatRoom', 'BChatRoom'], ['Community', 'Community'],
]);

const getAppidGroupList: Handler = (body, { app }) => {
  const limit = optInt(body, 'Limit', 1, LIMITS.groupListMaxLimit) ?? LIMITS.groupListMaxLimit;
  const groupType = optString(body, 'GroupType');
  const wanted = groupType === undefined ? undefined : GROUP_TYPES.get(groupType);
  if (groupType !== undefined && wanted === undefined) fail(ERR.invalidParam, `GroupType ${JSON.stringify(groupType)} is not a group type`);
  const groups = wanted === undefined ? app.ordered : app.ordered.filter((g) => g.type === wanted);
  const offset = cursorOffset(body['Next'], groups.length);
  const page = groups.slice(offset, offset + limit);
  const end = offset + page.length;
  return {
    TotalCount: groups.length,
    GroupIdList: page.map((g) => ({ GroupId: g.id })),
    Next: end >= groups.length ? 0 : CURSOR_BASE + BigInt(end) * CURSOR_STRIDE + CURSOR_TAG,
  };
};

function cursorOffset(next: unknown, total: number): number {
  if (next === undefined || next === 0) return 0;
  if (typeof next === 'bigint') {
    const d = next - CURSOR_BASE;
    const offset = d >= 0n && d % CURSOR_STRIDE === CURSOR_TAG ? Number(d / CURSOR_STRIDE) : -1;
    if (offset > 0 && offset < total) return offset;
  }
  if (typeof next !== 'number' && typeof next !== 'bigint') fail(ERR.invalidParam, 'Next must be the integer from the previous answer, sent as a JSON number');
  return fail(ERR.invalidParam, `Next ${String(next)} is not a cursor this server gave out (a 64-bit integer must not be rounded)`);
}

const BASE_INFO_FIELDS = [
  'Type', 'Name', 'Introduction', 'Notification', 'FaceUrl', 'Owner_Account', 'CreateTime', 'InfoSeq', 'LastInfoTime',
  'LastMsgTime', 'NextMsgSeq', 'MemberNum', 'MaxMemberNum', 'ApplyJoinOption', 'ShutUpAllMember',
] as const;

const getGroupInfo: Handler = (body, { app }) => {
  const ids = stringList(body, 'GroupIdList', LIMITS.groupInfoBatch);
  const filter = body['ResponseFilter'];
  if (filter !== undefined && (typeof filter !== 'object' || filter === null || Array.isArray(filter))) fail(ERR.invalidParam, 'ResponseFilter must be an object');
  const baseFilter = (filter as Body | undefined)?.['GroupBaseInfoFilter'];
  if (baseFilter !== undefined && (!Array.isArray(baseFilter) || baseFilter.some((x) => typeof x !== 'string'))) {
    fail(ERR.invalidParam, 'ResponseFilter.GroupBaseInfoFilter must be an array of field names');
  }
  const fields = baseFilter === undefined ? BASE_INFO_FIELDS : BASE_INFO_FIELDS.filter((f) => (baseFilter as string[]).includes(f));
  return {
    GroupInfo: ids.map((id) => {
      try {
        const info = groupInfo(lookupGroup(id, app));
        return { GroupId: id, ErrorCode: 0, ErrorInfo: '', ...Object.fromEntries(fields.map((f) => [f, info[f]])) };
      } catch (e) {
        if (!(e instanceof TimFail)) throw e;
        return { GroupId: id, ErrorCode: e.code, ErrorInfo: e.message };
      }
    }),
  };
};

function groupInfo(g: EmuGroup): Record<(typeof BASE_INFO_FIELDS)[number], unknown> {
  const newest = g.main.newestSeq;
  return {
    Type: g.shownType,
    Name: g.name,
    Introduction: g.introduction,
    Notification: g.notification,
    FaceUrl: g.faceUrl,
    Owner_Account: g.members.find((m) => m.role === 'Owner')?.account ?? '',
    CreateTime: g.createTime,
    InfoSeq: 3,
    LastInfoTime: g.createTime,
    LastMsgTime: newest > 0 ? g.main.timestamp(newest) : g.createTime,
    NextMsgSeq: newest + 1,
    MemberNum: g.members.length,
    MaxMemberNum: maxMembers(g.type),
    ApplyJoinOption: 'FreeAccess',
    ShutUpAllMember: 'Off',
  };
}

/** Fields of a member entry besides Member_Account, which is always answered; MemberInfoFilter picks among them. */
const MEMBER_FIELDS = ['Role', 'JoinTime', 'MsgSeq', 'MsgFlag', 'LastSendMsgTime', 'ShutUpUntil', 'NameCard'] as const;
const ROLES = ['Owner', 'Admin', 'Member'] as const;

function optNames<T extends string>(body: Body, key: string, allowed: readonly T[]): T[] | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !(allowed as readonly string[]).includes(x))) {
    fail(ERR.invalidParam, `${key} must be an array of ${allowed.join(', ')}`);
  }
  return v as T[];
}

const getGroupMemberInfo: Handler = (body, { app }) => {
  const group = requireGroup(body, app);
  const limit = optInt(body, 'Limit', 1, LIMITS.memberInfoMaxLimit) ?? 100;
  const community = group.type === 'Community';
  if (community && body['Offset'] !== undefined) fail(ERR.invalidParam, 'Community groups page with Next, not Offset');
  if (!community && body['Next'] !== undefined) fail(ERR.invalidParam, 'Next is only for Community groups; page with Offset');
  const fields = optNames(body, 'MemberInfoFilter', MEMBER_FIELDS) ?? MEMBER_FIELDS;
  const roles = optNames(body, 'MemberRoleFilter', ROLES);
  if (NO_HISTORY_TYPES.has(group.type)) fail(ERR.noPermission, `group ${group.id} is an ${group.type}: its member list cannot be read`);
  const listed = roles ? group.members.filter((m) => roles.includes(m.role)) : group.members;
  const offset = community ? memberCursor(optString(body, 'Next'), listed.length) : (optInt(body, 'Offset', 0, Number.MAX_SAFE_INTEGER) ?? 0);
  const page = listed.slice(offset, offset + limit);
  const end = offset + page.length;
  return {
    MemberNum: group.members.length,
    MemberList: page.map((m) => {
      const entry: Record<(typeof MEMBER_FIELDS)[number], unknown> = {
        Role: m.role,
        JoinTime: m.joinTime,
        MsgSeq: 0,
        MsgFlag: 'AcceptAndNotify',
        LastSendMsgTime: 0,
        ShutUpUntil: 0,
        NameCard: m.nameCard,
      };
      return { Member_Account: m.account, ...Object.fromEntries(fields.map((f) => [f, entry[f]])) };
    }),
    ...(community ? { Next: end >= listed.length ? '' : `m${end.toString(36)}` } : {}),
  };
};

function memberCursor(next: string | undefined, total: number): number {
  if (next === undefined || next === '') return 0;
  const offset = /^m[0-9a-z]+$/.test(next) ? parseInt(next.slice(1), 36) : -1;
  if (offset > 0 && offset < total) return offset;
  return fail(ERR.invalidParam, `Next ${JSON.stringify(next)} is not a cursor this server gave out`);
}

const PROFILE_TAGS: Record<string, (p: Profile, app: EmuApp) => unknown> = {
  [TAG_NICK]: (p) => p.nick,
  [TAG_IMAGE]: (p, app) => app.publicUrl(p.image),
  Tag_Profile_IM_Gender: () => 'Gender_Type_Unknown',
};

const portraitGet: Handler = (body, { app }) => {
  const accounts = stringList(body, 'To_Account', LIMITS.portraitBatch);
  const tags = stringList(body, 'TagList', 100);
  const unknown = accounts.filter((a) => !app.profiles.has(a));
  return {
    UserProfileItem: accounts.map((account) => {
      const profile = app.profiles.get(account);
      if (profile === undefined) return { To_Account: account, ResultCode: ERR.accountUnknown, ResultInfo: `account ${account} does not exist` };
      const items = tags.filter((t) => t in PROFILE_TAGS).map((t) => ({ Tag: t, Value: PROFILE_TAGS[t]!(profile, app) }));
      return { To_Account: account, ProfileItem: items, ResultCode: 0, ResultInfo: '' };
    }),
    ...(unknown.length > 0 ? { Fail_Account: unknown } : {}),
  };
};

/** The topic's name as the emulator spells its ID: whatever follows `@TOPIC#_`. */
export function topicName(topicId: string): string {
  const at = topicId.lastIndexOf('@TOPIC#_');
  return at < 0 ? topicId : topicId.slice(at + '@TOPIC#_'.length);
}

const getTopic: Handler = (body, { app }) => {
  const group = requireGroup(body, app);
  const from = optString(body, 'From_Account');
  if (from === undefined || from === '') fail(ERR.invalidParam, 'From_Account is required');
  const wanted = body['TopicIdList'] === undefined ? undefined : stringList(body, 'TopicIdList', 100);
  if (group.type !== 'Community' || !group.topicsEnabled) {
    fail(ERR.noPermission, `group ${group.id} is ${group.type === 'Community' ? 'a Community group without topics' : `an ${group.type} group`}: only Community groups with topics have topics`);
  }
  const ids = wanted ?? [...group.topics.keys()];
  return {
    TopicAndSelfInfo: ids.map((id) => {
      const space = group.topics.get(id);
      if (!space) return { ErrorCode: ERR.groupNotFound, ErrorInfo: `topic ${id} does not exist in group ${group.id}`, TopicInfo: { TopicId: id } };
      const newest = space.newestSeq;
      return {
        ErrorCode: 0,
        ErrorInfo: '',
        TopicInfo: {
          TopicId: id,
          TopicName: topicName(id),
          FromAccount: group.members.find((m) => m.role === 'Owner')?.account ?? '',
          CustomString: '',
          FaceUrl: '',
          Introduction: '',
          Notification: '',
          CreateTime: group.topicCreateTime,
          LastMsgTime: newest > 0 ? space.timestamp(newest) : group.topicCreateTime,
          NextMsgSeq: newest + 1,
          MuteAllMember: 'Off',
        },
        SelfInfo: { MsgFlag: 'AcceptAndNotify', ReadedSeq: 0, MsgSeq: newest },
      };
    }),
  };
};

export const HANDLERS: Record<ApiName, Handler> = {
  group_msg_get_simple: groupMsgGetSimple,
  get_appid_group_list: getAppidGroupList,
  get_group_info: getGroupInfo,
  get_group_member_info: getGroupMemberInfo,
  portrait_get: portraitGet,
  get_topic: getTopic,
};
