// Deterministic chat history. Every Seq's kind, time and content is a pure function of (seed, Seq), so a group
// of a million messages costs no memory until it is read, and the same seed always gives the same data.

import type { GroupMsg, MsgElem, RelayItem } from '../../app/im/wire';
import { BROKEN, CHINESE, CHINESE_NAMES, EMOJI, ENGLISH, ENGLISH_NAMES, FILE_NAMES, HOSTILE, ODD_NAMES, PLACES, RTL, ZERO_WIDTH } from './corpus';
import { Rng, hashString, mix } from './prng';

/** What a Seq holds as first stored. Expiry is not a kind: it depends on the retention edge, not on the Seq. */
export type SeqKind = 'normal' | 'system' | 'recalled' | 'deleted' | 'never';

export interface Shares {
  /** Messages with one 10–60 kB text. */
  longShare: number;
  recalledShare: number;
  deletedShare: number;
  /** Seqs that were allocated but never stored: absent from every answer. */
  neverStoredShare: number;
  /** Group tips and system notices (IsSystemMsg 1). */
  systemShare: number;
}

export const DEFAULT_SHARES: Shares = { longShare: 0.002, recalledShare: 0.02, deletedShare: 0.005, neverStoredShare: 0.002, systemShare: 0.03 };

export interface User {
  account: string;
  /** Profile nick (portrait_get); may be empty. */
  nick: string;
}

export interface Member extends User {
  /** Group-specific display name; often empty. */
  nameCard: string;
  role: 'Owner' | 'Admin' | 'Member';
  joinTime: number;
}

export interface HistoryConfig extends Shares {
  seed: number;
  /** Seqs 1..count are the initial history, their timestamps spread over [startTime, startTime + spanSeconds]. */
  count: number;
  startTime: number;
  spanSeconds: number;
  /** Senders are drawn from here; needs at least one member. */
  members: readonly Member[];
  /** How big the media are and whether groups share them (see MediaShape). */
  media?: MediaShape;
}

/**
 * Media sizes as the elements declare them. Left alone, sizes are realistic (images up to 5 MB, files up to
 * 200 MB), far too much for a test; `maxBytes` folds every size into 1..maxBytes. With `pool`, a rendition's
 * bytes are one of `pool` contents shared by every group with a pool (the same picture sent to several groups:
 * other UUIDs, the same bytes), with the size that content has. `videoAt` makes one Seq a video of that size.
 * `noUrlShare` of the media elements carry no URL, as an old SDK's do.
 */
export interface MediaShape {
  maxBytes?: number;
  pool?: number;
  videoAt?: { seq: number; bytes: number };
  noUrlShare?: number;
}

const SALT_KIND = 1;
const SALT_TIME = 2;
const SALT_BODY = 3;
const SALT_MEMBER = 4;
const SALT_USER = 5;
const SALT_MEDIA = 6;
/** What a pooled content's size is drawn below when no maxBytes is given. */
const POOL_MAX_BYTES = 100_000;

/** The system account Tencent uses for group tips. */
const SYSTEM_ACCOUNT = '@TIM#SYSTEM';
/** Where generated media URLs point until the server that serves them signs them (./media.ts). */
export const MEDIA_HOST = 'https://media.emulator.invalid';

export function seqKind(cfg: HistoryConfig, seq: number): SeqKind {
  let r = new Rng(mix(cfg.seed, seq, SALT_KIND)).next();
  if ((r -= cfg.neverStoredShare) < 0) return 'never';
  if ((r -= cfg.recalledShare) < 0) return 'recalled';
  if ((r -= cfg.deletedShare) < 0) return 'deleted';
  if ((r -= cfg.systemShare) < 0) return 'system';
  return 'normal';
}

/** Non-decreasing in seq for 1..count (several messages may share a second, as in a busy group). */
export function timestampOf(cfg: HistoryConfig, seq: number): number {
  const jitter = 0.9 * new Rng(mix(cfg.seed, seq, SALT_TIME)).next();
  return cfg.startTime + Math.floor(((seq - 1 + jitter) * cfg.spanSeconds) / Math.max(1, cfg.count));
}

/** A user of the shared pool: the same person appears in several groups with one nick (and per-group name cards). */
export function user(index: number): User {
  const rng = new Rng(mix(index, SALT_USER));
  const style = index % 5;
  const account =
    style === 0 ? `1441151972${String(index).padStart(8, '0')}` // numeric IDs beyond 2^53, as in Tencent's examples
    : style === 1 ? `user_${index}`
    : style === 2 ? `${rng.pick(['zhang', 'wang', 'li', 'liu', 'chen'])}.${rng.pick(['wei', 'fang', 'na', 'yang'])}${index}`
    : style === 3 ? `u-${index.toString(36)}`
    : `Member_${index}@corp`;
  const nick = rng.weighted<string>([
    [5, rng.pick(CHINESE_NAMES)],
    [4, rng.pick(ENGLISH_NAMES)],
    [1, rng.pick(ODD_NAMES)],
    [1, ''],
  ]);
  return { account, nick };
}

export function generateMembers(seed: number, n: number, startTime: number): Member[] {
  const offset = mix(seed, SALT_MEMBER) % 5000;
  const admins = Math.max(n > 2 ? 1 : 0, Math.floor(n / 20));
  return Array.from({ length: n }, (_, j) => {
    const rng = new Rng(mix(seed, j, SALT_MEMBER));
    const nameCard = rng.weighted<string>([
      [3, rng.pick(CHINESE_NAMES)],
      [2, rng.pick(ENGLISH_NAMES)],
      [1, rng.pick(ODD_NAMES)],
      [4, ''],
    ]);
    const role = j === 0 ? 'Owner' : j <= admins ? 'Admin' : 'Member';
    return { ...user(offset + j), nameCard, role, joinTime: startTime - rng.int(0, 365 * 86400) };
  });
}

/** The message as first stored at this Seq (for a recalled or deleted Seq: its content before that happened). */
export function generateMessage(cfg: HistoryConfig, seq: number, timeStamp: number): GroupMsg {
  const rng = new Rng(mix(cfg.seed, seq, SALT_BODY));
  const system = seqKind(cfg, seq) === 'system';
  const msg: GroupMsg = {
    From_Account: system ? SYSTEM_ACCOUNT : sender(rng, cfg.members),
    IsPlaceMsg: 0,
    ...(system ? { IsSystemMsg: 1 } : {}),
    MsgBody: system ? systemBody(rng, cfg.members) : messageBody(rng, cfg),
    MsgPriority: rng.weighted([[2, 1], [20, 2], [2, 3], [1, 4]]),
    MsgRandom: rng.uint32(),
    MsgSeq: seq,
    MsgTimeStamp: timeStamp,
  };
  if (rng.chance(0.08)) msg.CloudCustomData = cloudCustomData(rng, seq);
  // Fields Tencent may add later: a lossless client keeps them.
  if (rng.chance(0.01)) msg.MsgFutureField = { v: 2, flags: [1, 'x', null], note: rng.pick(CHINESE) };
  if (cfg.media) shapeMedia(msg, cfg.media, new Rng(mix(cfg.seed, seq, SALT_MEDIA)));
  return msg;
}

/** Which shared content a pooled rendition carries: the same function for the declared size and for the bytes. */
export function poolContent(uuid: string, rendition: string, pool: number): { id: string; size: number } {
  const index = hashString(uuid) % pool;
  return { id: `pool/${rendition}/${index}`, size: 1 + (mix(index, hashString(rendition)) % POOL_MAX_BYTES) };
}

/** Applies a MediaShape to a generated message, with its own random stream (the rest of the message is unchanged). */
function shapeMedia(msg: GroupMsg, shape: MediaShape, rng: Rng): void {
  if (shape.videoAt?.seq === msg.MsgSeq) {
    const uuid = `big${String(msg.MsgSeq).padStart(29, '0')}`;
    msg.MsgBody = [{
      MsgType: 'TIMVideoFileElem',
      MsgContent: {
        VideoUrl: `${MEDIA_HOST}/video/${uuid}`, VideoUUID: uuid, VideoSize: shape.videoAt.bytes, VideoSecond: 600, VideoFormat: 'mp4', VideoDownloadFlag: 2,
        ThumbUrl: `${MEDIA_HOST}/thumb/${uuid}`, ThumbUUID: `${uuid}_thumb`, ThumbSize: 20_000, ThumbWidth: 320, ThumbHeight: 180, ThumbFormat: 'JPG', ThumbDownloadFlag: 2,
      },
    }];
    return;
  }
  const size = (uuid: string, rendition: string, drawn: number): number => {
    if (shape.pool) return Math.min(poolContent(uuid, rendition, shape.pool).size, shape.maxBytes ?? Infinity);
    return shape.maxBytes ? 1 + ((drawn - 1) % shape.maxBytes) : drawn;
  };
  const visit = (body: MsgElem[]) => {
    for (const el of body) {
      const c = el.MsgContent as Record<string, unknown>;
      const noUrl = (el.MsgType === 'TIMImageElem' || el.MsgType === 'TIMFileElem' || el.MsgType === 'TIMSoundElem' || el.MsgType === 'TIMVideoFileElem') && rng.chance(shape.noUrlShare ?? 0);
      switch (el.MsgType) {
        case 'TIMImageElem':
          for (const info of c.ImageInfoArray as Record<string, unknown>[]) {
            info.Size = size(c.UUID as string, IMAGE_RENDITIONS[info.Type as number]!, info.Size as number);
            if (noUrl) delete info.URL;
          }
          break;
        case 'TIMFileElem':
          c.FileSize = size(c.UUID as string, 'file', c.FileSize as number);
          if (noUrl) delete c.Url;
          break;
        case 'TIMSoundElem':
          c.Size = size(c.UUID as string, 'sound', c.Size as number);
          if (noUrl) delete c.Url;
          break;
        case 'TIMVideoFileElem':
          c.VideoSize = size(c.VideoUUID as string, 'video', c.VideoSize as number);
          c.ThumbSize = size(c.ThumbUUID as string, 'video-thumbnail', c.ThumbSize as number);
          if (noUrl) {
            delete c.VideoUrl;
            delete c.ThumbUrl;
          }
          break;
        case 'TIMRelayElem':
          for (const item of (c.MsgList as RelayItem[] | undefined) ?? []) visit(item.MsgBody);
          break;
      }
    }
  };
  visit(msg.MsgBody);
}

/** ImageInfoArray Type → rendition, as app/media/model.ts names them. */
const IMAGE_RENDITIONS: Readonly<Record<number, string>> = { 1: 'original', 2: 'large', 3: 'thumbnail' };

function sender(rng: Rng, members: readonly Member[]): string {
  // Now and then someone who has since left the group: no member entry, so no name card.
  if (rng.chance(0.02)) return user(100_000 + rng.int(0, 49)).account;
  return rng.pick(members).account;
}

type ElemKind = 'text' | 'image' | 'face' | 'file' | 'sound' | 'video' | 'location' | 'custom' | 'relay' | 'future';

const FIRST_ELEM: readonly (readonly [number, ElemKind])[] = [
  [55, 'text'], [10, 'image'], [5, 'face'], [4, 'file'], [5, 'sound'], [4, 'video'],
  [3, 'location'], [5, 'custom'], [4, 'relay'], [2, 'future'],
];
const EXTRA_ELEM: readonly (readonly [number, ElemKind])[] = [[5, 'text'], [2, 'face'], [2, 'image'], [1, 'custom']];

function messageBody(rng: Rng, cfg: HistoryConfig): MsgElem[] {
  if (rng.chance(cfg.longShare)) return [textElem(longText(rng))];
  const kinds: ElemKind[] = [rng.weighted(FIRST_ELEM)];
  if (rng.chance(0.2)) {
    const extra = rng.int(1, 2);
    for (let i = 0; i < extra; i++) {
      const k = rng.weighted(EXTRA_ELEM);
      // Tencent allows at most one TIMCustomElem per message.
      kinds.push(k === 'custom' && kinds.includes('custom') ? 'text' : k);
    }
  }
  return kinds.map((k) => element(rng, k, cfg.members));
}

function element(rng: Rng, kind: ElemKind, members: readonly Member[]): MsgElem {
  switch (kind) {
    case 'text':
      return textElem(chatText(rng));
    case 'face':
      return { MsgType: 'TIMFaceElem', MsgContent: { Index: rng.int(0, 300), Data: rng.pick(['', '[微笑]', 'smile', binaryish(rng, 6)]) } };
    case 'location':
      return {
        MsgType: 'TIMLocationElem',
        MsgContent: { Desc: rng.pick(PLACES), Latitude: rng.int(-90_000_000, 90_000_000) / 1e6, Longitude: rng.int(-180_000_000, 180_000_000) / 1e6 },
      };
    case 'custom':
      return {
        MsgType: 'TIMCustomElem',
        MsgContent: {
          Data: rng.chance(0.6) ? binaryish(rng, rng.int(4, 40)) : JSON.stringify({ businessID: 'order', orderId: rng.hex(8), text: rng.pick(CHINESE) }),
          Desc: rng.pick(['MIF', '订单消息', 'custom', '', rng.pick(HOSTILE)]),
          Ext: rng.pick(['', 'ext-data', '{"k":1}', rng.pick(CHINESE)]),
          Sound: rng.pick(['', 'dingdong.aac']),
        },
      };
    case 'image': {
      const uuid = rng.hex(32);
      const format = rng.pick([1, 2, 3, 4, 255]);
      const width = rng.int(200, 4000);
      const height = rng.int(200, 4000);
      const size = rng.int(20_000, 5_000_000);
      const info = (type: 1 | 2 | 3, scale: number) => ({
        Type: type,
        Size: Math.max(1, Math.floor(size * scale * scale)),
        Width: Math.max(1, Math.floor(width * scale)),
        Height: Math.max(1, Math.floor(height * scale)),
        URL: `${MEDIA_HOST}/image/${uuid}/${type}`,
      });
      return { MsgType: 'TIMImageElem', MsgContent: { UUID: uuid, ImageFormat: format, ImageInfoArray: [info(1, 1), info(2, 0.5), info(3, 0.1)] } };
    }
    case 'file': {
      const uuid = rng.hex(32);
      return {
        MsgType: 'TIMFileElem',
        MsgContent: { Url: `${MEDIA_HOST}/file/${uuid}`, UUID: uuid, FileSize: rng.int(1, 200_000_000), FileName: rng.pick(FILE_NAMES), Download_Flag: 2 },
      };
    }
    case 'sound': {
      const uuid = rng.hex(32);
      return {
        MsgType: 'TIMSoundElem',
        MsgContent: { Url: `${MEDIA_HOST}/sound/${uuid}`, UUID: uuid, Size: rng.int(1000, 500_000), Second: rng.int(1, 60), Download_Flag: 2 },
      };
    }
    case 'video': {
      const uuid = rng.hex(32);
      return {
        MsgType: 'TIMVideoFileElem',
        MsgContent: {
          VideoUrl: `${MEDIA_HOST}/video/${uuid}`, VideoUUID: uuid, VideoSize: rng.int(100_000, 100_000_000), VideoSecond: rng.int(1, 600),
          VideoFormat: 'mp4', VideoDownloadFlag: 2, ThumbUrl: `${MEDIA_HOST}/thumb/${uuid}`, ThumbUUID: `${uuid}_thumb`,
          ThumbSize: rng.int(5_000, 200_000), ThumbWidth: rng.int(100, 1080), ThumbHeight: rng.int(100, 1920), ThumbFormat: 'JPG', ThumbDownloadFlag: 2,
        },
      };
    }
    case 'relay':
      return relayElem(rng, members);
    case 'future':
      // A MsgType from the future, with an element-level field nobody knows yet.
      return {
        MsgType: 'TIMStreamElem',
        MsgContent: { StreamId: rng.hex(16), Chunks: [chatText(rng), chatText(rng)], Done: rng.chance(0.5), Meta: { depth: [1, { x: null, y: [true, 2.5] }] } },
        ElemFutureField: rng.int(0, 9),
      };
  }
}

function relayElem(rng: Rng, members: readonly Member[]): MsgElem {
  const n = rng.int(2, 5);
  const items: RelayItem[] = Array.from({ length: n }, () => ({
    From_Account: rng.pick(members).account,
    MsgTimeStamp: 1_600_000_000 + rng.int(0, 100_000_000),
    MsgRandom: rng.uint32(),
    MsgBody: rng.chance(0.8) ? [textElem(chatText(rng))] : [element(rng, 'image', members)],
  }));
  const abstracts = items.slice(0, 3).map((it) => `${it.From_Account}: ${rng.pick(CHINESE)}`);
  return {
    MsgType: 'TIMRelayElem',
    MsgContent: {
      Title: rng.pick(['群聊的聊天记录', 'Chat history of Alice and Bob', '<b>forwarded</b>']),
      MsgNum: n,
      CompatibleText: '[聊天记录]',
      AbstractList: abstracts,
      // Big forwards are stored aside and referenced by key instead of inlined.
      ...(rng.chance(0.2) ? { JsonMsgKey: rng.hex(40) } : { MsgList: items }),
    },
  };
}

function systemBody(rng: Rng, members: readonly Member[]): MsgElem[] {
  const someone = () => rng.pick(members).account;
  if (rng.chance(0.7)) {
    return [{
      MsgType: 'TIMGroupTipElem',
      MsgContent: {
        OpType: rng.pick([1, 2, 3, 4, 5, 6]),
        Operator_Account: someone(),
        MemberList_Account: [someone(), someone()],
        ...(rng.chance(0.3) ? { GroupInfo: { Name: rng.pick(CHINESE), Notification: rng.pick(HOSTILE) } } : {}),
      },
    }];
  }
  return [{ MsgType: 'TIMGroupSystemNoticeElem', MsgContent: { Type: rng.int(1, 15), Content: rng.pick([...CHINESE, ...ENGLISH]), Operator_Account: someone() } }];
}

function textElem(text: string): MsgElem {
  return { MsgType: 'TIMTextElem', MsgContent: { Text: text } };
}

const TEXT_POOLS: readonly (readonly [number, readonly string[]])[] = [
  [40, CHINESE], [30, ENGLISH], [10, EMOJI], [4, RTL], [4, ZERO_WIDTH], [6, HOSTILE], [2, BROKEN],
];

function chatText(rng: Rng): string {
  const parts = rng.int(1, 3);
  let text = rng.pick(rng.weighted(TEXT_POOLS));
  for (let i = 1; i < parts; i++) text += rng.pick([' ', '\n', '', '，']) + rng.pick(rng.weighted(TEXT_POOLS));
  return text;
}

const LONG_PIECES = [...CHINESE, ...ENGLISH].map((s) => [s, Buffer.byteLength(s)] as const);

function longText(rng: Rng): string {
  const target = rng.int(10_000, 60_000);
  const parts: string[] = [];
  for (let bytes = 0; bytes < target; ) {
    const [s, n] = rng.pick(LONG_PIECES);
    parts.push(s);
    bytes += n + 1;
  }
  return parts.join('\n');
}

/** Protobuf-looking bytes as a string, like the "\b\u0001\u0010..." in Tencent's own examples. */
function binaryish(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(rng.chance(0.5) ? rng.int(0, 31) : rng.int(32, 126));
  return s;
}

function cloudCustomData(rng: Rng, seq: number): string {
  return rng.chance(0.5)
    ? JSON.stringify({ messageReply: { messageID: rng.hex(12), messageAbstract: rng.pick(CHINESE), messageSender: 'someone', messageType: 1, version: 1, seq: Math.max(1, seq - rng.int(1, 50)) } })
    : rng.pick(['', 'plain custom data', '{"messageFeature":{"needTyping":1,"version":1}}', rng.pick(HOSTILE)]);
}
