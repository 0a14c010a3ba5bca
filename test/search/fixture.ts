// A real archive on disk for the search tests, filled through Archive.storeWindow as the engine fills it, and
// a brute-force oracle that decides matches without the index, the tokenizer or the search engine: a regular
// expression per term over the normalized searchable text (README.md, "What matches").

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Archive, rowsOf } from '../../app/archive';
import { describe as describeMsg, placeState } from '../../app/archive/extract';
import type { GroupMsg } from '../../app/im/wire';
import { searchForm } from '../../app/search/normalize';
import type { Term } from '../../app/search/query';
import { type CorpusOptions, corpusWindow } from './corpus';

export interface Fixture {
  archive: Archive;
  dir: string;
  /** Every stored row, with what the oracle needs. */
  rows: OracleRow[];
  close(): Promise<void>;
}

export interface OracleRow {
  id: number;
  gid: number;
  groupId: string;
  seq: number;
  sender: string;
  time: number;
  kinds: number;
  state: number;
  isSystem: boolean;
  /** searchForm of the searchable text ('' when the stored version has no content). */
  normalized: string;
  /** searchForm of the sender's group name card and profile nick. */
  names: string[];
}

export const MEMBER_CARDS: Record<string, string> = { user1: '张伟', user2: 'Alice Wang', user3: '小龙女🐉', user4: 'Ｂｏｂ', user5: 'Ångström Lab' };
export const NICKS: Record<string, string> = { user1: 'Zhang Wei', user6: '西瓜太郎', user7: 'Carol', user8: 'meeting bot' };

const SDKAPPID = 1400000001;

export async function buildFixture(opts: { groups: number; perGroup: number; corpus: Omit<CorpusOptions, 'seed'> }): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'tim-search-test-'));
  const archive = await Archive.open(join(dir, 'archive.sqlite'), { create: true });
  const run = archive.beginRun();
  const groupIds: string[] = [];
  for (let g = 0; g < opts.groups; g++) {
    const groupId = `@TGS#search${g}`;
    groupIds.push(groupId);
    const gid = archive.upsertGroup({ sdkAppId: SDKAPPID, groupId, newestSeq: opts.perGroup });
    const o = { ...opts.corpus, seed: 100 + g };
    for (let lo = 1; lo <= opts.perGroup; lo += 20) archive.storeWindow(gid, lo, Math.min(opts.perGroup, lo + 19), corpusWindow(o, lo, Math.min(opts.perGroup, lo + 19)), run);
    // Later reads: some messages were recalled or deleted at the source (the archive keeps the original), and
    // some Seqs were first seen as deleted placeholders (nothing to find in them).
    for (let seq = 7; seq <= opts.perGroup; seq += 53) {
      const [m] = corpusWindow(o, seq, seq);
      archive.storeWindow(gid, seq, seq, [{ ...m!, IsPlaceMsg: seq % 2 ? 2 : 1, MsgBody: [] }], run);
    }
    archive.upsertMembers(gid, Object.entries(MEMBER_CARDS).map(([account, card]) => ({ Member_Account: account, NameCard: g === 0 ? card : `${card}${g}` })));
  }
  archive.upsertProfiles(SDKAPPID, Object.entries(NICKS).map(([account, nick]) => ({ account, nick })));
  archive.finishRun(run, 'ok', {});
  const rows = readRows(archive, groupIds);
  return {
    archive,
    dir,
    rows,
    close: async () => {
      await archive.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function readRows(archive: Archive, groupIds: string[]): OracleRow[] {
  const values = rowsOf(archive.db, 'SELECT id, gid, seq, sender, time, kinds, state, is_system, raw FROM messages ORDER BY id');
  const gids = new Map(archive.groups().map((g) => [g.gid, g.groupId]));
  return values.map(([id, gid, seq, sender, time, kinds, state, isSystem, raw]) => {
    const msg = JSON.parse(String(raw)) as GroupMsg;
    const account = String(sender);
    const g = Number(gid);
    const groupIndex = groupIds.indexOf(gids.get(g)!);
    const card = MEMBER_CARDS[account] === undefined ? undefined : groupIndex === 0 ? MEMBER_CARDS[account] : `${MEMBER_CARDS[account]}${groupIndex}`;
    return {
      id: Number(id),
      gid: g,
      groupId: gids.get(g)!,
      seq: Number(seq),
      sender: account,
      time: Number(time),
      kinds: Number(kinds),
      state: Number(state),
      isSystem: Number(isSystem) !== 0,
      normalized: placeState(msg) === 0 ? searchForm(describeMsg(msg).searchable) : '',
      names: [card, NICKS[account]].filter((n): n is string => n !== undefined).map(searchForm),
    };
  });
}

const CJK = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3005\u3006\u30fc`;
const WORD_CHAR = `[[\\p{L}\\p{N}]--[${CJK}]]`;
const SEPARATORS = `[^\\p{L}\\p{N}\\p{S}]*`;

/** The term as a regular expression over normalized text: README.md's definition, written independently. */
export function termRegex(term: Term): RegExp {
  const last = term.tokens.length - 1;
  let src = '';
  term.tokens.forEach((t, j) => {
    if (j > 0 && !t.joined) src += SEPARATORS;
    // Symbols are tokens too: every character that is not a letter or digit is written as its code point.
    const literal = t.text.replace(/[^\p{L}\p{N}]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
    if (t.single) {
      src += literal;
    } else {
      src += `(?<!${WORD_CHAR})${literal}`;
      if (j < last || term.quoted) src += `(?!${WORD_CHAR})`;
    }
  });
  return new RegExp(src, 'v');
}

/** The ids the oracle expects, in the order search returns them. */
export function expectedIds(rows: readonly OracleRow[], terms: readonly Term[], keep: (r: OracleRow) => boolean = () => true, order: 'newest' | 'oldest' = 'newest'): number[] {
  // The substring tests only skip texts the expression cannot match (it needs every token), and the expression
  // is compiled when first needed: speed for 10 kB queries.
  const checks = terms.map((t) => {
    const parts = [...new Set(t.tokens.map((k) => k.text))];
    let re: RegExp | undefined;
    const test = (text: string) => parts.every((p) => text.includes(p)) && (re ??= termRegex(t)).test(text);
    return { t, occurs: (r: OracleRow) => test(r.normalized) || r.names.some(test) };
  });
  const ids = rows.filter((r) => keep(r) && checks.every(({ t, occurs }) => occurs(r) !== t.negated)).map((r) => r.id);
  return order === 'newest' ? ids.reverse() : ids;
}
