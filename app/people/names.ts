// The names people go by, read from the archive's people_history (schema v4): the display rule (group card, else
// nickname, else the account ID), the name a message was sent under, and member listings. Export, search, the
// reader and the CLI all name people through here, so a sender is called the same everywhere.

import { allRows, arrayStatement, type Db, rowsOf, type Statement } from '../archive/sqlite';
import type { MediaCopy } from '../media/types';
import type { MemberEntry, Period, PersonEntry, PersonGroup } from './types';

export type { MemberEntry, Period, PersonEntry, PersonGroup } from './types';

/** Which name labels a message: the current card (→ nick → account), the current nick (→ account), the account
 *  alone, or card → nick → account as they were when the message was sent. */
export const NAME_CHOICES = ['card', 'nick', 'account', 'as-sent'] as const;
export type NameChoice = (typeof NAME_CHOICES)[number];

/** A name nobody can see (empty, spaces, zero-width or direction marks only) is no name: the next one is used. */
export function visibleName(name: string | undefined): string | undefined {
  return name !== undefined && !/^[\s\p{Cf}]*$/u.test(name) ? name : undefined;
}

/** The period in force at `ms`: the one begun last at or before it; before any was seen, the earliest known. */
function periodAt(periods: readonly Period[], ms: number): Period | undefined {
  let found = periods[0];
  for (const p of periods) if (p.firstSeen <= ms) found = p;
  return found;
}

/** The value in force at `ms` (periodAt). */
export function valueAt(periods: readonly Period[], ms: number): string | undefined {
  return periodAt(periods, ms)?.value;
}

interface Names {
  card: Period[];
  nick: Period[];
  avatar: Period[];
}

/** A stored avatar as the media store describes it, for whatever shows it (the reader, a transcript). */
export type AvatarCopy = MediaCopy & { sha256: string };

/** people_history joined to the media store: an avatar period's stored picture, if any. */
const HISTORY_COLUMNS = 'h.field, h.value, h.first_seen, h.last_seen, m.sha256, m.size, m.mime, h.media_key';
const HISTORY_FROM = "people_history h LEFT JOIN media m ON m.key = h.media_key AND m.state = 'stored'";

function periodOf([, value, first, last, sha256]: unknown[]): Period {
  return { value: String(value), firstSeen: Number(first), lastSeen: Number(last), ...(typeof sha256 === 'string' ? { sha256 } : {}) };
}

/**
 * Names of the senders of one group (`gid` of app `sdkAppId`), looked up as they appear and remembered, so memory
 * grows with the senders, not the messages.
 */
export class NameBook {
  private readonly cache = new Map<string, Names>();
  private readonly pictures = new Map<string, AvatarCopy>();
  private readonly history: Statement;

  constructor(
    db: Db,
    private readonly group: { gid: number; sdkAppId: number },
    readonly choice: NameChoice = 'card',
  ) {
    this.history = arrayStatement(
      db,
      `SELECT ${HISTORY_COLUMNS} FROM ${HISTORY_FROM}
       WHERE h.sdkappid = ? AND h.account = ? AND ((h.gid = ? AND h.field = 'card') OR (h.gid = 0 AND h.field IN ('nick', 'avatar'))) ORDER BY h.first_seen, h.id`,
    );
  }

  /** The display name of `account` for a message sent at `time` (Unix seconds), or undefined: show the account. */
  name(account: string, time?: number): string | undefined {
    if (this.choice === 'account') return undefined;
    const n = this.names(account);
    const current = (ps: Period[]) => visibleName(ps.at(-1)?.value);
    switch (this.choice) {
      case 'nick':
        return current(n.nick);
      case 'as-sent': {
        const at = (time ?? Date.now() / 1000) * 1000;
        return visibleName(valueAt(n.card, at)) ?? visibleName(valueAt(n.nick, at));
      }
      default:
        return current(n.card) ?? current(n.nick);
    }
  }

  /**
   * The stored picture of `account`'s avatar: the current one, or with 'as-sent' the one they had at `time` (Unix
   * seconds). Undefined when that avatar is not in the store (none set, not fetched, expired): show initials.
   */
  avatar(account: string, time?: number): AvatarCopy | undefined {
    const periods = this.names(account).avatar;
    const period = this.choice === 'as-sent' ? periodAt(periods, (time ?? Date.now() / 1000) * 1000) : periods.at(-1);
    return period?.sha256 !== undefined ? this.pictures.get(period.sha256) : undefined;
  }

  private names(account: string): Names {
    let n = this.cache.get(account);
    if (n) return n;
    n = { card: [], nick: [], avatar: [] };
    for (const row of allRows(this.history, this.group.sdkAppId, account, this.group.gid)) {
      const period = periodOf(row);
      n[row[0] as keyof Names].push(period);
      if (period.sha256 !== undefined) {
        this.pictures.set(period.sha256, { key: String(row[7]), state: 'stored', sha256: period.sha256, size: Number(row[5]), ...(typeof row[6] === 'string' ? { mime: row[6] } : {}) });
      }
    }
    this.cache.set(account, n);
    return n;
  }
}

/**
 * Everyone of a group the archive knows: its members (current and departed) and everyone else who sent a message
 * there, current members first, each with their names and their history.
 */
export function groupMembers(db: Db, group: { gid: number; sdkAppId: number }): MemberEntry[] {
  const { gid, sdkAppId } = group;
  const rows = rowsOf(
    db,
    `WITH people AS (
       SELECT account FROM members WHERE gid = ?1
       UNION SELECT account FROM senders WHERE gid = ?1 AND account != '' AND account != '@TIM#SYSTEM'
     )
     SELECT p.account, m.role, m.join_time, m.first_seen, m.last_seen, m.left_at, coalesce(s.messages, 0), s.first_time, s.last_time
     FROM people p LEFT JOIN members m ON m.gid = ?1 AND m.account = p.account
       LEFT JOIN senders s ON s.gid = ?1 AND s.account = p.account
     ORDER BY (m.account IS NULL OR m.left_at IS NOT NULL), m.role = 'Member', p.account`,
    gid,
  );
  const history = arrayStatement(
    db,
    `SELECT ${HISTORY_COLUMNS} FROM ${HISTORY_FROM}
     WHERE h.sdkappid = ? AND h.account = ? AND (h.gid = ? OR (h.gid = 0 AND h.field IN ('nick', 'avatar'))) ORDER BY h.first_seen, h.id`,
  );
  return rows.map(([account, role, joinTime, firstSeen, lastSeen, leftAt, count, firstMessage, lastMessage]) => {
    const h: MemberEntry['history'] = { card: [], nick: [], role: [], avatar: [] };
    for (const row of allRows(history, sdkAppId, String(account), gid)) h[row[0] as keyof MemberEntry['history']].push(periodOf(row));
    const card = h.card.at(-1)?.value;
    const nick = h.nick.at(-1)?.value;
    const name = visibleName(card) ?? visibleName(nick);
    const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));
    const known = defined({
      name, card, nick, avatar: h.avatar.at(-1)?.value, avatarSha256: h.avatar.at(-1)?.sha256,
      role: role === null || role === undefined ? undefined : String(role),
      joinTime: num(joinTime), firstSeen: num(firstSeen), lastSeen: num(lastSeen), leftAt: num(leftAt),
      firstMessage: num(firstMessage), lastMessage: num(lastMessage),
    });
    return { account: String(account), messages: Number(count), history: h, ...known };
  });
}

/** The fields that are known: JSON output (and IPC) leaves out what is not known rather than carrying nulls. */
function defined<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** Someone a name given for a sender could mean: their account and every card or nick they were seen with. */
export interface SenderCandidate {
  account: string;
  names: string[];
}

/**
 * Whom `text` names: an account that sent or was listed (as typed), else everyone whose current or past group card
 * or nickname it is (ignoring case, width and surrounding spaces). Several: the caller lists them to choose from.
 */
export function findSenders(db: Db, text: string): SenderCandidate[] {
  // gid IN (…) lets SQLite look the account up by the senders table's key in each group.
  const sent = rowsOf(db, 'SELECT 1 FROM members WHERE account = ?1 UNION ALL SELECT 1 FROM senders WHERE gid IN (SELECT gid FROM groups) AND account = ?1 LIMIT 1', text);
  if (sent.length > 0) return [{ account: text, names: [] }];
  const wanted = nameKey(text);
  if (wanted === '') return [];
  const names = new Map<string, Set<string>>();
  const matched = new Set<string>();
  for (const [account, value] of rowsOf(db, "SELECT account, value FROM people_history WHERE field IN ('card', 'nick') ORDER BY first_seen, id")) {
    const a = String(account);
    const v = String(value);
    if (nameKey(v) === wanted) matched.add(a);
    if (visibleName(v)) names.set(a, (names.get(a) ?? new Set()).add(v));
  }
  const out = [...matched].map((a) => [a, names.get(a) ?? new Set<string>()] as const);
  return [...out].map(([account, names]) => ({ account, names: [...names] })).sort((a, b) => a.account.localeCompare(b.account));
}

function nameKey(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}

/**
 * Everyone the archive knows in any of `groups` (one app's groups and topics), each once, with their groups: the
 * People view across groups. Built from each group's listing (groupMembers), so a person reads the same here as in
 * any one group.
 */
export function appPeople(db: Db, sdkAppId: number, groups: readonly { gid: number; groupId: string; topicId: string; name?: string }[]): PersonEntry[] {
  const byAccount = new Map<string, PersonEntry>();
  for (const g of groups) {
    for (const m of groupMembers(db, { gid: g.gid, sdkAppId })) {
      let p = byAccount.get(m.account);
      if (!p) {
        const known = defined({ nick: m.history.nick.at(-1)?.value, avatar: m.avatar, avatarSha256: m.avatarSha256 });
        p = { account: m.account, messages: 0, groups: [], history: { nick: m.history.nick, avatar: m.history.avatar }, ...known };
        byAccount.set(m.account, p);
      }
      const known = defined({
        topicId: g.topicId || undefined, groupName: g.name, card: m.card, role: m.role, firstSeen: m.firstSeen, lastSeen: m.lastSeen,
        leftAt: m.leftAt, firstMessage: m.firstMessage, lastMessage: m.lastMessage,
      });
      p.groups.push({ groupId: g.groupId, messages: m.messages, history: { card: m.history.card, role: m.history.role }, ...known });
      p.messages += m.messages;
      if (m.firstMessage !== undefined) p.firstMessage = Math.min(p.firstMessage ?? m.firstMessage, m.firstMessage);
      if (m.lastMessage !== undefined) p.lastMessage = Math.max(p.lastMessage ?? m.lastMessage, m.lastMessage);
    }
  }
  const present = (g: PersonGroup) => g.lastSeen !== undefined && g.leftAt === undefined;
  return [...byAccount.values()].map((p) => {
    p.groups.sort((a, b) => Number(present(b)) - Number(present(a)));
    // The card they were seen with last, in any group, when they have no visible nickname.
    const latestCard = p.groups.flatMap((g) => g.history.card).filter((c) => visibleName(c.value)).sort((a, b) => a.lastSeen - b.lastSeen).at(-1)?.value;
    const name = visibleName(p.nick) ?? latestCard;
    return name !== undefined ? { ...p, name } : p;
  }).sort((a, b) => Number(b.groups.some(present)) - Number(a.groups.some(present)) || b.messages - a.messages || a.account.localeCompare(b.account));
}
