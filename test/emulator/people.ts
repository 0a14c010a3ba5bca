// The people of an emulated app as Tencent holds them *now*: who is in each group, under which name card and
// role, and each account's profile. Tests change them between backup runs (renames, departures, arrivals, new
// avatars) and compare what the archive recorded against this truth.

import type { Member } from './generate';
import { user } from './generate';
import { CHINESE_NAMES, ENGLISH_NAMES, HOSTILE_NAMES } from './corpus';
import { Rng, mix } from './prng';
import { avatarUrl, type EmuApp, type EmuGroup, type Profile } from './world';

export type { Member, Profile };

/** What churn() changed, so a test knows the new truth without recomputing it. */
export interface Churn {
  cards: { groupId: string; account: string; card: string }[];
  nicks: { account: string; nick: string }[];
  images: { account: string; image: string }[];
  left: { groupId: string; account: string }[];
  joined: { groupId: string; account: string }[];
}

export interface EmulatedPeople {
  /** A copy of a group's current member list, in listing order. */
  members(groupId: string): Member[];
  profile(account: string): Profile | undefined;
  setCard(groupId: string, account: string, card: string): void;
  setRole(groupId: string, account: string, role: Member['role']): void;
  setNick(account: string, nick: string): void;
  setImage(account: string, image: string): void;
  /** The member leaves the group; their profile stays (IM still knows the account). */
  leave(groupId: string, account: string): void;
  /** The account joins (a new account gets a profile); joinTime is the emulator's now. */
  join(groupId: string, account: string, card?: string): void;
  /**
   * Deterministic changes between runs: about `share` of each group's members change their card, nick or avatar
   * (hostile names among the new ones), the same share leaves, and as many new accounts join.
   */
  churn(seed: number, share: number): Churn;
}

const NEW_ACCOUNTS_FROM = 900_000;

export function emulatedPeople(app: EmuApp, now: () => number): EmulatedPeople {
  const group = (groupId: string): EmuGroup => {
    const g = app.groups.get(groupId);
    if (!g) throw new Error(`the emulator has no group ${groupId} in app ${app.spec.sdkAppId}`);
    return g;
  };
  const member = (groupId: string, account: string): Member => {
    const m = group(groupId).members.find((x) => x.account === account);
    if (!m) throw new Error(`${account} is not a member of ${groupId}`);
    return m;
  };
  const profile = (account: string): Profile => {
    const p = app.profiles.get(account);
    if (!p) throw new Error(`IM knows no account ${account}`);
    return p;
  };
  let joined = 0;
  const people: EmulatedPeople = {
    members: (groupId) => group(groupId).members.map((m) => ({ ...m, nick: app.profiles.get(m.account)?.nick ?? '' })),
    profile: (account) => {
      const p = app.profiles.get(account);
      return p && { ...p, image: app.publicUrl(p.image) };
    },
    setCard: (groupId, account, card) => void (member(groupId, account).nameCard = card),
    setRole: (groupId, account, role) => void (member(groupId, account).role = role),
    setNick: (account, nick) => void (profile(account).nick = nick),
    setImage: (account, image) => void (profile(account).image = image),
    leave(groupId, account) {
      const g = group(groupId);
      const i = g.members.findIndex((m) => m.account === account);
      if (i < 0) throw new Error(`${account} is not a member of ${groupId}`);
      g.members.splice(i, 1);
    },
    join(groupId, account, card = '') {
      const g = group(groupId);
      if (g.members.some((m) => m.account === account)) throw new Error(`${account} is already a member of ${groupId}`);
      if (!app.profiles.has(account)) app.profiles.set(account, { nick: account, image: avatarUrl(account) });
      g.members.push({ account, nick: profile(account).nick, nameCard: card, role: 'Member', joinTime: Math.floor(now()) });
    },
    churn(seed, share) {
      const out: Churn = { cards: [], nicks: [], images: [], left: [], joined: [] };
      const name = (rng: Rng) => rng.weighted<string>([[3, rng.pick(CHINESE_NAMES)], [3, rng.pick(ENGLISH_NAMES)], [2, rng.pick(HOSTILE_NAMES)]]);
      for (const g of app.ordered) {
        const rng = new Rng(mix(seed, g.members.length, g.id.length));
        for (const m of [...g.members]) {
          if (m.role === 'Owner') continue;
          const r = rng.next();
          if (r < share) {
            m.nameCard = `${name(rng)}${rng.chance(0.5) ? '' : ` ${rng.int(1, 99)}`}`;
            out.cards.push({ groupId: g.id, account: m.account, card: m.nameCard });
          } else if (r < 2 * share) {
            const p = profile(m.account);
            p.nick = name(rng);
            out.nicks.push({ account: m.account, nick: p.nick });
          } else if (r < 3 * share) {
            const p = profile(m.account);
            p.image = avatarUrl(m.account, rng.int(2, 1000));
            out.images.push({ account: m.account, image: app.publicUrl(p.image) });
          } else if (r < 4 * share) {
            people.leave(g.id, m.account);
            out.left.push({ groupId: g.id, account: m.account });
            const newcomer = user(NEW_ACCOUNTS_FROM + seed * 1000 + joined++);
            if (!app.profiles.has(newcomer.account)) app.profiles.set(newcomer.account, { nick: newcomer.nick, image: avatarUrl(newcomer.account) });
            if (!g.members.some((x) => x.account === newcomer.account)) {
              people.join(g.id, newcomer.account, rng.chance(0.5) ? name(rng) : '');
              out.joined.push({ groupId: g.id, account: newcomer.account });
            }
          }
        }
      }
      return out;
    },
  };
  return people;
}
