// The shapes app/people hands out, Node-free: the IPC contract re-exports them for the renderer's People view.

/** One value a field had, and when the backups saw it (ms since the epoch). */
export interface Period {
  value: string;
  firstSeen: number;
  lastSeen: number;
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
  /** The avatar URL (the media store will keep a copy later). */
  avatar?: string;
  messages: number;
  /** Unix seconds of their first and last archived message in the group. */
  firstMessage?: number;
  lastMessage?: number;
  /** Every card, nick and role they had, oldest first. */
  history: { card: Period[]; nick: Period[]; role: Period[]; avatar: Period[] };
}
