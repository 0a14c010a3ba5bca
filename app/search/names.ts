// Sender display names: what hits show, and what a query term can match (a term matching a sender's group name
// card or profile nick matches that sender's messages). Names change after messages are archived, so they are
// not in the full-text index; they live here, built from the members and profiles tables and rebuilt when
// those tables change.

import { type Db, rowsOf, valueOf } from '../archive/sqlite';
import { termOccurs } from './match';
import { searchForm, type Token, tokens } from './normalize';
import type { Term } from './query';

interface NameEntry {
  tokens: Token[];
  /** Senders this name belongs to: `${gid}\n${account}`. */
  keys: string[];
}

export interface NameIndex {
  /** Group name card, else profile nick, else undefined. */
  displayName(gid: number, account: string): string | undefined;
  /** The senders (senderKey) one of whose names the term occurs in. */
  matching(term: Term): Set<string>;
}

export function senderKey(gid: number, account: string): string {
  return `${gid}\n${account}`;
}

const cache = new WeakMap<Db, { fingerprint: string; index: NameIndex }>();

export function nameIndex(db: Db): NameIndex {
  const fingerprint = String(
    valueOf(
      db,
      `SELECT (SELECT count(*) || ':' || coalesce(max(updated_at), 0) FROM members) || '/' ||
      (SELECT count(*) || ':' || coalesce(max(updated_at), 0) FROM profiles) || '/' || (SELECT count(*) FROM groups)`,
    ),
  );
  const hit = cache.get(db);
  if (hit?.fingerprint === fingerprint) return hit.index;
  const index = buildIndex(db);
  cache.set(db, { fingerprint, index });
  return index;
}

function buildIndex(db: Db): NameIndex {
  const gidsOfApp = new Map<number, number[]>();
  for (const [gid, app] of rowsOf(db, 'SELECT gid, sdkappid FROM groups')) {
    const list = gidsOfApp.get(Number(app)) ?? [];
    list.push(Number(gid));
    gidsOfApp.set(Number(app), list);
  }
  const cards = new Map<string, string>();
  const nicks = new Map<string, string>();
  const byName = new Map<string, string[]>();
  const add = (name: string, key: string) => {
    const keys = byName.get(name) ?? [];
    keys.push(key);
    byName.set(name, keys);
  };
  for (const [gid, account, card] of rowsOf(db, "SELECT gid, account, name_card FROM members WHERE name_card IS NOT NULL AND name_card != ''")) {
    const key = senderKey(Number(gid), String(account));
    cards.set(key, String(card));
    add(String(card), key);
  }
  for (const [app, account, nick] of rowsOf(db, "SELECT sdkappid, account, nick FROM profiles WHERE nick IS NOT NULL AND nick != ''")) {
    for (const gid of gidsOfApp.get(Number(app)) ?? []) {
      const key = senderKey(gid, String(account));
      nicks.set(key, String(nick));
      add(String(nick), key);
    }
  }
  const entries: NameEntry[] = [...byName].map(([name, keys]) => ({ tokens: tokens(searchForm(name)), keys }));
  return {
    displayName: (gid, account) => cards.get(senderKey(gid, account)) ?? nicks.get(senderKey(gid, account)),
    matching(term) {
      const out = new Set<string>();
      for (const e of entries) if (termOccurs(term, e.tokens)) for (const k of e.keys) out.add(k);
      return out;
    },
  };
}
