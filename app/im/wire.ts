// The Tencent Cloud IM REST wire format, defined once and shared by the client, the engine, the archive,
// the exporters and the test emulator. Facts: ../shared/docs/tencent-im-rest-api.md.
//
// Every response object may carry fields not listed here; the client keeps them (index signatures) because
// a backup must be lossless, and Tencent adds fields over time.

/** Fields every REST answer carries. HTTP is 200 for API-level failures too; the verdict is here. */
export interface Envelope {
  ActionStatus: 'OK' | 'FAIL';
  ErrorCode: number;
  ErrorInfo: string;
  [unknown: string]: unknown;
}

export const SERVICES = {
  groupMsgGetSimple: 'v4/group_open_http_svc/group_msg_get_simple',
  getAppidGroupList: 'v4/group_open_http_svc/get_appid_group_list',
  getGroupInfo: 'v4/group_open_http_svc/get_group_info',
  getGroupMemberInfo: 'v4/group_open_http_svc/get_group_member_info',
  portraitGet: 'v4/profile/portrait_get',
  getTopic: 'v4/million_group_open_http_svc/get_topic',
} as const;
export type ServicePath = (typeof SERVICES)[keyof typeof SERVICES];

// ---- message elements (MsgBody items) ------------------------------------------------------------------

export interface TextElem { MsgType: 'TIMTextElem'; MsgContent: { Text: string } }
export interface LocationElem { MsgType: 'TIMLocationElem'; MsgContent: { Desc: string; Latitude: number; Longitude: number } }
export interface FaceElem { MsgType: 'TIMFaceElem'; MsgContent: { Index: number; Data: string } }
export interface CustomElem { MsgType: 'TIMCustomElem'; MsgContent: { Data: string; Desc: string; Ext: string; Sound?: string } }
export interface SoundElem {
  MsgType: 'TIMSoundElem';
  MsgContent: { Url: string; UUID: string; Size: number; Second: number; Download_Flag: number };
}
export interface ImageInfo { Type: 1 | 2 | 3; Size: number; Width: number; Height: number; URL: string }
export interface ImageElem {
  MsgType: 'TIMImageElem';
  MsgContent: { UUID: string; ImageFormat: number; ImageInfoArray: ImageInfo[] };
}
export interface FileElem {
  MsgType: 'TIMFileElem';
  MsgContent: { Url: string; UUID: string; FileSize: number; FileName: string; Download_Flag: number };
}
export interface VideoFileElem {
  MsgType: 'TIMVideoFileElem';
  MsgContent: {
    VideoUrl: string; VideoUUID: string; VideoSize: number; VideoSecond: number; VideoFormat: string;
    VideoDownloadFlag: number; ThumbUrl: string; ThumbUUID: string; ThumbSize: number; ThumbWidth: number;
    ThumbHeight: number; ThumbFormat: string; ThumbDownloadFlag: number;
  };
}
/** A forwarded message inside a relay (merged forward) element. */
export interface RelayItem {
  From_Account?: string;
  MsgTimeStamp?: number;
  MsgBody: MsgElem[];
  [unknown: string]: unknown;
}
export interface RelayElem {
  MsgType: 'TIMRelayElem';
  MsgContent: {
    Title: string; MsgNum: number; CompatibleText: string; AbstractList: string[];
    MsgList?: RelayItem[]; JsonMsgKey?: string;
  };
}
/** Group tips, system notices and any MsgType Tencent adds later: kept and shown generically. */
export interface OtherElem { MsgType: string; MsgContent?: unknown; [unknown: string]: unknown }

export type KnownElem =
  | TextElem | LocationElem | FaceElem | CustomElem | SoundElem | ImageElem | FileElem | VideoFileElem | RelayElem;
export type MsgElem = KnownElem | OtherElem;

// ---- group_msg_get_simple ----------------------------------------------------------------------------

export interface GroupMsgGetSimpleRequest {
  GroupId: string;
  ReqMsgNumber: number;
  ReqMsgSeq?: number;
  WithRecalledMsg?: 0 | 1;
  TopicId?: string;
}

/** IsPlaceMsg: 0 a normal message, 1 deleted / expired / failed to store (empty body), 2 recalled. */
export type PlaceMsg = 0 | 1 | 2;

export interface GroupMsg {
  From_Account: string;
  IsPlaceMsg: PlaceMsg;
  IsSystemMsg?: number;
  MsgBody: MsgElem[];
  MsgPriority?: number;
  MsgRandom: number;
  MsgSeq: number;
  MsgTimeStamp: number;
  CloudCustomData?: string;
  [unknown: string]: unknown;
}

/**
 * IsFinished speaks of this request's Seq range only: 1 every message of the range came back; 0 not all
 * (response size budget, or range wider than 20) — continue below the smallest returned Seq; 2 as 0 and
 * everything in it had expired.
 */
export type IsFinished = 0 | 1 | 2;

export interface GroupMsgGetSimpleResponse extends Envelope {
  GroupId: string;
  IsFinished: IsFinished;
  RspMsgList: GroupMsg[];
}

// ---- get_appid_group_list ----------------------------------------------------------------------------

export interface GetAppidGroupListRequest {
  Limit?: number;
  /** A 64-bit unsigned cursor: carried as a decimal string on our side, sent as a bare JSON integer. */
  Next?: string;
  GroupType?: string;
}
export interface GetAppidGroupListResponse extends Envelope {
  TotalCount: number;
  GroupIdList: { GroupId: string; [unknown: string]: unknown }[];
  /** Decimal string of the 64-bit cursor, "0" when done (the JSON integer may exceed 2^53). */
  Next: string;
}

// ---- get_group_info ----------------------------------------------------------------------------------

/** Tencent renamed Private→Work and ChatRoom→Meeting; both spellings appear on the wire. */
export type GroupType = 'Private' | 'Work' | 'Public' | 'ChatRoom' | 'Meeting' | 'Community' | 'AVChatRoom' | 'BChatRoom';

export interface GroupInfo {
  GroupId: string;
  ErrorCode: number;
  ErrorInfo: string;
  Type?: GroupType | string;
  Name?: string;
  Introduction?: string;
  Notification?: string;
  FaceUrl?: string;
  Owner_Account?: string;
  CreateTime?: number;
  LastMsgTime?: number;
  NextMsgSeq?: number;
  MemberNum?: number;
  MaxMemberNum?: number;
  [unknown: string]: unknown;
}
export interface GetGroupInfoRequest { GroupIdList: string[]; ResponseFilter?: Record<string, unknown> }
export interface GetGroupInfoResponse extends Envelope { GroupInfo: GroupInfo[] }

/** Group types whose history Tencent does not keep (group_msg_get_simple has nothing to return). */
export const NO_HISTORY_TYPES: ReadonlySet<string> = new Set(['AVChatRoom', 'BChatRoom']);

// ---- get_topic (Community groups with topics) ----------------------------------------------------------

/** One topic of a Community group: its own Seq space, read with group_msg_get_simple + TopicId. */
export interface TopicInfo {
  TopicId: string;
  TopicName?: string;
  Introduction?: string;
  Notification?: string;
  FaceUrl?: string;
  CreateTime?: number;
  LastMsgTime?: number;
  /** The topic's own next Seq: its newest message is NextMsgSeq − 1. */
  NextMsgSeq?: number;
  [unknown: string]: unknown;
}
export interface TopicAndSelfInfo {
  ErrorCode: number;
  ErrorInfo: string;
  TopicInfo?: TopicInfo;
  SelfInfo?: Record<string, unknown>;
  [unknown: string]: unknown;
}
/** From_Account is required by Tencent ("the user whose SelfInfo comes back"): the admin account serves. */
export interface GetTopicRequest { GroupId: string; From_Account: string; TopicIdList?: string[] }
export interface GetTopicResponse extends Envelope { TopicAndSelfInfo: TopicAndSelfInfo[] }

/** Only Community groups can have topics. */
export const TOPIC_GROUP_TYPE = 'Community';

// ---- get_group_member_info ---------------------------------------------------------------------------

export interface GroupMember {
  Member_Account: string;
  Role?: string;
  JoinTime?: number;
  NameCard?: string;
  ShutUpUntil?: number;
  [unknown: string]: unknown;
}
export interface GetGroupMemberInfoRequest {
  GroupId: string;
  Limit?: number;
  /** Ordinary groups page with Offset; Community groups with Next ("" to start, "" when done). */
  Offset?: number;
  Next?: string;
  /** Which member fields to answer (Member_Account always comes). */
  MemberInfoFilter?: string[];
  MemberRoleFilter?: ('Owner' | 'Admin' | 'Member')[];
}
export interface GetGroupMemberInfoResponse extends Envelope {
  MemberNum: number;
  MemberList: GroupMember[];
  Next?: string;
}

// ---- portrait_get ------------------------------------------------------------------------------------

export interface ProfileItem { Tag: string; Value: unknown }
export interface UserProfileItem { To_Account: string; ProfileItem?: ProfileItem[]; ResultCode: number; ResultInfo?: string; [unknown: string]: unknown }
export interface PortraitGetRequest { To_Account: string[]; TagList: string[] }
export interface PortraitGetResponse extends Envelope { UserProfileItem: UserProfileItem[]; Fail_Account?: string[] }

export const TAG_NICK = 'Tag_Profile_IM_Nick';
/** The avatar: a URL the user set (may be empty). */
export const TAG_IMAGE = 'Tag_Profile_IM_Image';
/** portrait_get's per-account ResultCode for an account IM does not know. */
export const ACCOUNT_UNKNOWN = 70107;

// ---- limits ------------------------------------------------------------------------------------------

export const LIMITS = {
  /** group_msg_get_simple returns at most this many messages per call. */
  msgsPerCall: 20,
  /** Documented per-app rate of the group APIs. */
  groupApiPerSecond: 200,
  /** get_appid_group_list is limited to one call per second. */
  groupListPerSecond: 1,
  groupListMaxLimit: 10_000,
  groupInfoBatch: 50,
  memberInfoMaxLimit: 200,
  portraitBatch: 100,
} as const;
