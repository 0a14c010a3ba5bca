// The emulated Tencent side: apps, their groups (metadata, members, Seq spaces) and user profiles, built once
// from the specs.

import { type Member, DEFAULT_SHARES, generateMembers, MEDIA_HOST, user } from './generate';
import { hashString, mix, Rng } from './prng';
import { SeqSpace } from './seq-space';
import { AVATAR_PATH, type MediaHost } from './media';
import type { AppSpec, GroupSpec } from './types';
import { CHINESE, ENGLISH, GROUP_NAMES, HOSTILE } from './corpus';

const OLD_NAME: Record<string, string> = { Work: 'Private', Meeting: 'ChatRoom' };
const NEW_NAME: Record<string, string> = { Private: 'Work', ChatRoom: 'Meeting' };
const TYPES = new Set(['Private', 'Public', 'ChatRoom', 'Community', 'AVChatRoom', 'BChatRoom']);
const MAX_MEMBERS: Record<string, number> = { Private: 200, Public: 2000, ChatRoom: 6000, Community: 100_000, AVChatRoom: 0, BChatRoom: 0 };

export interface EmuGroup {
  id: string;
  /** Canonical (old) type name: Private, Public, ChatRoom, Community, AVChatRoom, BChatRoom. */
  type: string;
  /** The spelling get_group_info answers. */
  shownType: string;
  name: string;
  introduction: string;
  notification: string;
  faceUrl: string;
  createTime: number;
  /** The current member list, in the order get_group_member_info pages through it; changed by ./people.ts. */
  members: Member[];
  main: SeqSpace;
  /** False for a Community group that never turned topics on (and every other type): get_topic refuses it. */
  topicsEnabled: boolean;
  topics: Map<string, SeqSpace>;
  topicCreateTime: number;
}

export interface EmuApp {
  spec: AppSpec;
  groups: Map<string, EmuGroup>;
  /** In creation order: the order get_appid_group_list pages through. */
  ordered: EmuGroup[];
  /** Account → profile, for portrait_get: every account IM knows. */
  profiles: Map<string, Profile>;
  /** Publishes avatar URLs on the server (identity without a media host). */
  publicUrl: (image: string) => string;
}

export interface Profile {
  nick: string;
  /** Tag_Profile_IM_Image: the avatar URL. */
  image: string;
}

/** Kept in the media host's placeholder form; portrait_get answers it on the server (MediaHost.publicUrl). A new
 *  avatar is a new path, as an app that uploads a new picture gets a new URL. */
export function avatarUrl(account: string, version = 1): string {
  return `${MEDIA_HOST}${AVATAR_PATH}${encodeURIComponent(account)}/${version}.png`;
}

/** Declared (and served) media sizes fold into this unless the group's spec says otherwise. */
const DEFAULT_MEDIA_MAX_BYTES = 64 * 1024;

/** Accounts of people who sent messages and left (see generate.ts): they still have profiles. */
const FORMER_MEMBERS = 50;

export function buildApp(spec: AppSpec, now: () => number, media?: MediaHost): EmuApp {
  const groups = new Map<string, EmuGroup>();
  const profiles = new Map<string, Profile>();
  const known = (account: string, nick: string) => profiles.set(account, { nick, image: avatarUrl(account) });
  for (const g of spec.groups) {
    if (groups.has(g.groupId)) throw new Error(`app ${spec.sdkAppId}: group ${g.groupId} is defined twice`);
    const group = buildGroup(g, now, media);
    groups.set(g.groupId, group);
    for (const m of group.members) known(m.account, m.nick);
  }
  for (let i = 0; i < FORMER_MEMBERS; i++) {
    const u = user(100_000 + i);
    known(u.account, u.nick);
  }
  for (const admin of spec.admins) if (!profiles.has(admin)) known(admin, admin);
  return { spec, groups, ordered: [...groups.values()], profiles, publicUrl: (image) => media?.publicUrl(image) ?? image };
}

function buildGroup(g: GroupSpec, now: () => number, media: MediaHost | undefined): EmuGroup {
  const spelled = g.type ?? 'Public';
  const type = OLD_NAME[spelled] ?? spelled;
  if (!TYPES.has(type)) throw new Error(`group ${g.groupId}: unknown type ${spelled}`);
  if (g.topics?.length && type !== 'Community') throw new Error(`group ${g.groupId}: only Community groups have topics`);
  const seed = g.seed ?? hashString(g.groupId);
  const count = g.messages ?? 100;
  const spanSeconds = (g.spanDays ?? 30) * 86400;
  const startTime = Math.floor(now()) - spanSeconds;
  const members = generateMembers(seed, Math.max(1, g.members ?? 50), startTime);
  if (g.senders !== undefined && !(Number.isInteger(g.senders) && g.senders >= 1)) throw new Error(`group ${g.groupId}: senders must be a positive integer`);
  // History is a pure function of the seed: it draws its senders from the members as first built, so people who
  // leave later keep their messages, and a changed member list never rewrites what was said.
  const senders = Object.freeze(members.slice(0, g.senders ?? members.length).map((m) => ({ ...m })));
  const history = (s: number) => ({
    ...DEFAULT_SHARES,
    ...definedShares(g),
    seed: s,
    count,
    startTime,
    spanSeconds,
    members: senders,
    // Small files unless a test asks otherwise: a CLI test or the demo downloads every one of them.
    media: { maxBytes: DEFAULT_MEDIA_MAX_BYTES, ...g.media },
  });
  const retention = () => ({
    edgeSeq: g.retentionEdgeSeq ?? 1,
    ...(g.retentionDays !== undefined ? { days: g.retentionDays } : {}),
    expiredAnswersEmpty: g.expiredAnswersEmpty ?? false,
  });
  const rng = new Rng(mix(seed, 99));
  return {
    id: g.groupId,
    type,
    shownType: (g.useNewTypeNames ?? spelled !== type) ? (NEW_NAME[type] ?? type) : type,
    name: g.name ?? rng.pick(GROUP_NAMES),
    introduction: rng.pick([...ENGLISH, ...CHINESE]),
    notification: rng.chance(0.3) ? rng.pick(HOSTILE) : rng.pick(CHINESE),
    faceUrl: rng.chance(0.5) ? '' : `https://media.emulator.invalid/face/${rng.hex(16)}`,
    createTime: startTime - rng.int(1, 400) * 86400,
    members,
    main: new SeqSpace(history(seed), retention(), now, media),
    topicsEnabled: g.topics !== undefined,
    topicCreateTime: startTime - rng.int(1, 30) * 86400,
    topics: new Map((g.topics ?? []).map((t) => [t, new SeqSpace(history(mix(seed, hashString(t))), retention(), now, media)])),
  };
}

function definedShares(g: GroupSpec): Partial<typeof DEFAULT_SHARES> {
  const out: Partial<typeof DEFAULT_SHARES> = {};
  for (const k of Object.keys(DEFAULT_SHARES) as (keyof typeof DEFAULT_SHARES)[]) {
    const v = g[k];
    if (v !== undefined) {
      if (!(v >= 0 && v <= 1)) throw new Error(`group ${g.groupId}: ${k} must be between 0 and 1, got ${v}`);
      out[k] = v;
    }
  }
  return out;
}

export function maxMembers(type: string): number {
  return MAX_MEMBERS[type] ?? 0;
}
