// Terms → an FTS4 MATCH expression that finds a SUPERSET of the messages the terms occur in (./match decides
// exactly). Nothing the person typed reaches FTS syntax: each query token is passed through SQLite's own
// unicode61 tokenizer (fts3tokenize, the same tokenizer and options as message_fts), and only the resulting
// letter/digit tokens are written into double-quoted phrases. So FTS operators, quotes, stars and NEAR in a
// query are plain text, and a character unicode61 does not index simply drops out of the phrase on both sides.

import { arrayStatement, allRows, type Db, firstRow, type Statement } from '../archive/sqlite';
import { indexToken, isCommonHan, isCommonPair, pairWord } from './normalize';
import type { QueryToken, Term } from './query';

/** FTS4 balances AND trees to depth 12; a few selective terms give the same candidates faster anyway. */
const MAX_TERMS = 6;
/** Any contiguous part of a phrase finds a superset of the whole phrase; long phrases cost without narrowing. */
const MAX_PHRASE_TOKENS = 8;

/** Keep in step with message_fts in app/archive/schema.ts: candidates must be tokenized as the index was. */
const TOKENIZER = `fts3tokenize('unicode61', 'remove_diacritics=2')`;

/** What is kept per connection: the tokenizer's statement and answers, the doclist count of selective(). */
interface PerDb {
  stmt: Statement;
  tokens: Map<string, string[]>;
  count?: Statement;
}

const cache = new WeakMap<Db, PerDb>();

function statementsOf(db: Db): PerDb {
  let c = cache.get(db);
  if (!c) {
    // A temp table lives outside the archive file: read-only connections allow it, and the file never sees it.
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_tokenize USING ${TOKENIZER}`);
    c = { stmt: arrayStatement(db, 'SELECT token FROM temp.search_tokenize WHERE input = ?'), tokens: new Map() };
    cache.set(db, c);
  }
  return c;
}

/** unicode61's tokens for one of our tokens (usually itself, lower-cased; none for characters it skips). */
function ftsTokens(db: Db, token: string): string[] {
  const c = statementsOf(db);
  let out = c.tokens.get(token);
  if (!out) {
    out = allRows(c.stmt, token).map((r) => String(r[0]));
    if (c.tokens.size > 10_000) c.tokens.clear();
    c.tokens.set(token, out);
  }
  return out;
}

/** The phrase for consecutive tokens of a term, or undefined when unicode61 indexes none of their characters. */
function phrase(db: Db, run: readonly QueryToken[], prefix: boolean): string | undefined {
  const words = run.flatMap((t) => ftsTokens(db, indexToken(t.text)));
  if (words.length === 0) return undefined;
  return `"${words.join(' ')}${prefix ? '*' : ''}"`;
}

/**
 * What the index is asked for one term: every text the term occurs in has all of them. With `pairs` (the index
 * holds pair words, app/search/normalize.ts), two common characters typed side by side are looked up by their
 * pair word — short doclists instead of two long ones — and the term's other tokens, run by run, by phrases.
 * `lean`: a common character no pair covers is left out (see matchExpression); the runs it separated stay
 * together as `"a" NEAR/k "b"` (k = the characters left out between them: each is one token of the text), so
 * 西瓜大王 asks for 西瓜 one token from 王 instead of reading the doclist of 大, in a quarter of the messages.
 */
function termParts(db: Db, term: Term, pairs: boolean, lean: boolean): string[] {
  const window = term.tokens.slice(0, MAX_PHRASE_TOKENS);
  const last = window[window.length - 1]!;
  const prefix = !term.quoted && window.length === term.tokens.length && !last.single;
  const paired = window.map(() => false);
  const parts: string[] = [];
  for (let i = 1; pairs && i < window.length; i++) {
    const [a, b] = [window[i - 1]!, window[i]!];
    if (!b.joined || !isCommonPair(a.text, b.text)) continue;
    parts.push(`"${pairWord(a.text, b.text)}"`);
    paired[i - 1] = paired[i] = true;
  }
  // Unpaired tokens, run by run (the whole window when nothing is paired); only the last run can end in a prefix.
  // Runs apart only by characters left out are one NEAR group; a pair between them ends the group.
  let run: QueryToken[] = [];
  let group = '';
  let gap = 0;
  const endRun = (atEnd: boolean) => {
    const p = run.length ? phrase(db, run, prefix && atEnd) : undefined;
    run = [];
    if (!p) return;
    group = group ? `${group} NEAR/${gap} ${p}` : p;
    gap = 0;
  };
  const endGroup = () => {
    endRun(false);
    if (group) parts.push(group);
    group = '';
    gap = 0;
  };
  window.forEach((t, i) => {
    if (paired[i]) endGroup();
    else if (lean && isCommonHan(t.text)) {
      endRun(false);
      gap++;
    } else run.push(t);
  });
  endRun(true);
  endGroup();
  return parts;
}

/** How much a term narrows the candidates, roughly: CJK characters and long words narrow most. */
function selectivity(term: Term): number {
  return term.tokens.reduce((sum, t) => sum + (t.single ? 2 : Math.min(t.text.length, 6)), 0) + (term.quoted ? 1 : 0);
}

/** The terms' parts, most selective term first, `lean` as in termParts. */
function expressionParts(db: Db, terms: readonly Term[], pairs: boolean, lean: boolean): string[] {
  return [...terms]
    .sort((a, b) => selectivity(b) - selectivity(a))
    .map((t) => termParts(db, t, pairs, lean))
    .filter((p) => p.length > 0)
    .slice(0, MAX_TERMS)
    .flat();
}

/**
 * Below this many messages, a part of the MATCH is selective: verifying that many candidates in JS (~10 µs each)
 * costs less than reading the doclist of a common character, in a tenth to a third of all messages (3M messages:
 * 45–65 ms to read 的 or 大 to the end, as a query with no hit must).
 */
const SELECTIVE_PART = 1000;

/**
 * Whether a part (a phrase, a pair word or a NEAR group, no prefix) is in fewer than SELECTIVE_PART messages.
 * FTS4 keeps no term counts, so its own doclists say it, read newest first and at most SELECTIVE_PART deep. One
 * word reads incrementally (~0.1–3 ms); a query of several words first loads the rarest one's doclist whole
 * (FTS4's plan), which for a phrase of characters in half the archive (家好) costs as much as the search itself.
 * So a part is selective when one of its words is; else a NEAR group is read as a whole — positions make it far
 * rarer than its words (西瓜 one token from 王: 91 messages of 3M, each word in 10,000 or more) and it only
 * exists where a common character was left out of the middle — while a phrase of words that are each frequent
 * is taken as frequent too.
 */
function selective(db: Db, part: string): boolean {
  const c = statementsOf(db);
  c.count ??= arrayStatement(db, 'SELECT count(*) FROM (SELECT docid FROM message_fts WHERE message_fts MATCH ? ORDER BY docid DESC LIMIT ?)');
  const fewer = (expr: string) => Number(firstRow(c.count!, expr, SELECTIVE_PART)![0]) < SELECTIVE_PART;
  const words = [...part.matchAll(/"([^"]*)"/gu)].flatMap((m) => m[1]!.split(' '));
  return words.some((w) => fewer(`"${w}"`)) || (words.length > 1 && part.includes(' NEAR/') && fewer(part));
}

/**
 * The MATCH expression whose hits include every message in which all `terms` occur, or undefined when no term
 * can be looked up in the index (then every message is a candidate). `pairs`: the index holds pair words.
 *
 * A common character (normalize.ts COMMON_HAN) no pair word covers is left out of the expression — the matcher
 * still requires it of every candidate, so the hits stay the same — when another part of the query is
 * selective: the full-text index must read a common character's doclist as far as the page needs, to the end
 * when nothing matches (西瓜大王 的, no hit: 的 and 大 each in a quarter of the archive). Being one of the thirty
 * most frequent characters is what makes its doclist long, known without asking the index; whether what is left
 * is selective is asked of the index itself (selective()), because a rare-looking term can be everywhere (好 is
 * in a third of chat) and then the common character is what keeps the candidates few (你好, 大王 from 王 alone).
 * A part that ends in a prefix is not asked: FTS4 reads a prefix's doclists whole, never just the newest.
 */
export function matchExpression(db: Db, terms: readonly Term[], pairs: boolean): string | undefined {
  const full = expressionParts(db, terms, pairs, false);
  if (full.length === 0) return undefined;
  const lean = expressionParts(db, terms, pairs, true);
  const chosen = lean.length > 0 && lean.join(' ') !== full.join(' ') && lean.some((p) => !p.includes('*"') && selective(db, p)) ? lean : full;
  return chosen.join(' ');
}
