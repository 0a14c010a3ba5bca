// Terms → an FTS4 MATCH expression that finds a SUPERSET of the messages the terms occur in (./match decides
// exactly). Nothing the person typed reaches FTS syntax: each query token is passed through SQLite's own
// unicode61 tokenizer (fts3tokenize, the same tokenizer and options as message_fts), and only the resulting
// letter/digit tokens are written into double-quoted phrases. So FTS operators, quotes, stars and NEAR in a
// query are plain text, and a character unicode61 does not index simply drops out of the phrase on both sides.

import { arrayStatement, allRows, type Db, type Statement } from '../archive/sqlite';
import { indexToken, isCommonPair, pairWord } from './normalize';
import type { QueryToken, Term } from './query';

/** FTS4 balances AND trees to depth 12; a few selective terms give the same candidates faster anyway. */
const MAX_TERMS = 6;
/** Any contiguous part of a phrase finds a superset of the whole phrase; long phrases cost without narrowing. */
const MAX_PHRASE_TOKENS = 8;

/** Keep in step with message_fts in app/archive/schema.ts: candidates must be tokenized as the index was. */
const TOKENIZER = `fts3tokenize('unicode61', 'remove_diacritics=2')`;

const cache = new WeakMap<Db, { stmt: Statement; tokens: Map<string, string[]> }>();

/** unicode61's tokens for one of our tokens (usually itself, lower-cased; none for characters it skips). */
function ftsTokens(db: Db, token: string): string[] {
  let c = cache.get(db);
  if (!c) {
    // A temp table lives outside the archive file: read-only connections allow it, and the file never sees it.
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_tokenize USING ${TOKENIZER}`);
    c = { stmt: arrayStatement(db, 'SELECT token FROM temp.search_tokenize WHERE input = ?'), tokens: new Map() };
    cache.set(db, c);
  }
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
 */
function termParts(db: Db, term: Term, pairs: boolean): string[] {
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
  let run: QueryToken[] = [];
  const endRun = (atEnd: boolean) => {
    const p = run.length ? phrase(db, run, prefix && atEnd) : undefined;
    if (p) parts.push(p);
    run = [];
  };
  window.forEach((t, i) => (paired[i] ? endRun(false) : run.push(t)));
  endRun(true);
  return parts;
}

/** How much a term narrows the candidates, roughly: CJK characters and long words narrow most. */
function selectivity(term: Term): number {
  return term.tokens.reduce((sum, t) => sum + (t.single ? 2 : Math.min(t.text.length, 6)), 0) + (term.quoted ? 1 : 0);
}

/**
 * The MATCH expression whose hits include every message in which all `terms` occur, or undefined when no term
 * can be looked up in the index (then every message is a candidate). `pairs`: the index holds pair words.
 */
export function matchExpression(db: Db, terms: readonly Term[], pairs: boolean): string | undefined {
  const parts = [...terms]
    .sort((a, b) => selectivity(b) - selectivity(a))
    .map((t) => termParts(db, t, pairs))
    .filter((p) => p.length > 0)
    .slice(0, MAX_TERMS)
    .flat();
  return parts.length ? parts.join(' ') : undefined;
}
