// The shapes app/people hands out, Node-free: the IPC contract re-exports them for the renderer's People view.

/** One value a field had, and when the backups saw it (ms since the epoch). */
export interface Period {
  value: string;
  firstSeen: number;
  lastSeen: number;
  /** An avatar period whose picture the media store holds: its sha256 (shown as tim-media://<sha256>). */
  sha256?: string;
}

export interface MemberEntry {
  account: string;
  /** The display name now: card → nick, if any is visible. */
  name?: string;
  card?: string;
  nick?: string;
  role?: string;
  /** Unix seconds, from Tencent. */
  joinTime?: number;
  /** ms: the first and last backup that listed them; `leftAt` the first whose complete listing lacked them. */
  firstSeen?: number;
  lastSeen?: number;
  leftAt?: number;
  /** The current avatar's URL, and its stored picture's sha256 when the media store holds it. */
  avatar?: string;
  avatarSha256?: string;
  messages: number;
  /** Unix seconds of their first and last archived message in the group. */
  firstMessage?: number;
  lastMessage?: number;
  /** Every card, nick, role and avatar they had, oldest first. */
  history: { card: Period[]; nick: Period[]; role: Period[]; avatar: Period[] };
}

/** One group (or topic) of a person, in the People view across the app's groups. */
export interface PersonGroup {
  groupId: string;
  topicId?: string;
  /** The group's name as last listed. */
  groupName?: string;
  card?: string;
  role?: string;
  firstSeen?: number;
  lastSeen?: number;
  leftAt?: number;
  messages: number;
  firstMessage?: number;
  lastMessage?: number;
  /** Their group cards and roles in this group, oldest first. */
  history: { card: Period[]; role: Period[] };
}

/** A person across every archived group of the app: who they are, where they are, what they said there. */
export interface PersonEntry {
  account: string;
  /** The display name across groups: their nickname, else the group card seen last. */
  name?: string;
  nick?: string;
  avatar?: string;
  avatarSha256?: string;
  /** In all their groups together. */
  messages: number;
  firstMessage?: number;
  lastMessage?: number;
  /** Their groups: those they are in first, then those they left or only spoke in. */
  groups: PersonGroup[];
  /** The app-wide fields, oldest first (cards and roles are per group). */
  history: { nick: Period[]; avatar: Period[] };
}
