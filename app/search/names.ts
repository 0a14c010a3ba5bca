// Sender display names: what hits show, and what a query term can match (a term matching one of a sender's
// group cards or nicknames, current or past, matches that sender's messages). Names change after messages are
// archived, so they are not in the full-text index; they live here, built from people_history and rebuilt when
// it changes.

import { type Db, rowsOf, valueOf } from '../archive/sqlite';
import { visibleName } from '../people/names';
import { termOccurs } from './match';
import { searchForm, type Token, tokens } from './normalize';
import type { Term } from './query';

interface NameEntry {
  tokens: Token[];
  /** Senders this name belongs to: `${gid}\n${account}`. */
  keys: string[];
}

export interface NameIndex {
  /** The current group card, else the current nickname (visible ones only), else undefined. */
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
    valueOf(db, "SELECT (SELECT count(*) || ':' || coalesce(max(last_seen), 0) FROM people_history) || '/' || (SELECT count(*) FROM groups)"),
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
  const byName = new Map<string, Set<string>>();
  const add = (name: string, key: string) => {
    if (visibleName(name) === undefined) return;
    byName.set(name, (byName.get(name) ?? new Set()).add(key));
  };
  // Oldest first, so the last value set per sender is the current one.
  for (const [app, gid, account, field, value] of rowsOf(db, "SELECT sdkappid, gid, account, field, value FROM people_history WHERE field IN ('card', 'nick') ORDER BY first_seen, id")) {
    const name = String(value);
    if (field === 'card') {
      const key = senderKey(Number(gid), String(account));
      cards.set(key, name);
      add(name, key);
    } else {
      for (const g of gidsOfApp.get(Number(app)) ?? []) {
        const key = senderKey(g, String(account));
        nicks.set(key, name);
        add(name, key);
      }
    }
  }
  const entries: NameEntry[] = [...byName].map(([name, keys]) => ({ tokens: tokens(searchForm(name)), keys: [...keys] }));
  return {
    displayName: (gid, account) => visibleName(cards.get(senderKey(gid, account))) ?? visibleName(nicks.get(senderKey(gid, account))),
    matching(term) {
      const out = new Set<string>();
      for (const e of entries) if (termOccurs(term, e.tokens)) for (const k of e.keys) out.add(k);
      return out;
    },
  };
}
