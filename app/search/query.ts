// What a person types into the search box, as terms. Every string is a valid query: there are no operators
// that can be malformed. The grammar (./README.md has examples):
//   - whitespace separates terms; every term must match (AND);
//   - "…" makes a phrase (an unclosed quote runs to the end); inside it every word matches whole;
//   - a leading - excludes a term or phrase;
//   - anything else is text: AND, OR, NEAR, *, ( ) and SQL are words or separators like any other.
// A term's tokens come from the same normalization as the index (./normalize), so full-width forms, case and
// accents never matter. A term of punctuation only is dropped; emoji and other symbols are searched exactly.

import { type Said, type Sentences, type Tables, sayAll } from '../errors/said';
import { fold, searchForm, tokens } from './normalize';

export interface QueryToken {
  text: string;
  single: boolean;
  /** Typed right after the previous token with nothing between (你好, abc你好): must be adjacent in the text too. */
  joined: boolean;
}

export interface Term {
  /** As typed, for display. */
  source: string;
  tokens: QueryToken[];
  /** Quoted: a final word must match whole instead of as a prefix. */
  quoted: boolean;
  negated: boolean;
}

export interface ParsedQuery {
  /** Terms to match (AND), then terms to exclude. */
  terms: Term[];
  /** Set when nothing can be searched for: a sentence for the person who typed the query. */
  nothingToSearch?: Said;
}

type NothingToSearch = 'nothing' | 'only-exclusions';

export const NOTHING_EN = {
  nothing: () => 'Nothing to search for: type a word, some Chinese characters or an emoji (punctuation alone is not searched).',
  'only-exclusions': () => 'The search only excludes words: add a word to look for, for example: meeting -cancelled',
} satisfies Sentences<NothingToSearch, object>;

export const NOTHING_ZH = {
  nothing: () => '没有可搜索的内容：请输入一个词、几个汉字或一个表情符号（只有标点符号不会被搜索）。',
  'only-exclusions': () => '这次搜索只排除了词语：请再加一个要查找的词，例如：会议 -取消',
} satisfies Sentences<NothingToSearch, object>;

const NOTHING: Tables<NothingToSearch, object> = { en: NOTHING_EN, 'zh-CN': NOTHING_ZH };

export function parseQuery(query: string): ParsedQuery {
  const text = fold(query);
  const terms: Term[] = [];
  const seen = new Set<string>();
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isSpace(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    let negated = false;
    if (text[i] === '-' && i + 1 < text.length && !isSpace(text[i + 1]!)) {
      negated = true;
      i++;
    }
    let body: string;
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      const close = text.indexOf('"', i + 1);
      const end = close < 0 ? text.length : close;
      body = text.slice(i + 1, end);
      i = close < 0 ? end : end + 1;
    } else {
      const from = i;
      while (i < text.length && !isSpace(text[i]!)) i++;
      body = text.slice(from, i);
    }
    const toks = queryTokens(body);
    if (toks.length === 0) continue;
    const term: Term = { source: text.slice(start, i), tokens: toks, quoted, negated };
    const key = JSON.stringify([term.tokens, quoted, negated]);
    if (!seen.has(key)) {
      seen.add(key);
      terms.push(term);
    }
  }
  if (!terms.some((t) => !t.negated)) {
    return {
      terms: [],
      nothingToSearch: sayAll(NOTHING, terms.length ? 'only-exclusions' : 'nothing', {}),
    };
  }
  return { terms: [...terms.filter((t) => !t.negated), ...terms.filter((t) => t.negated)] };
}

function queryTokens(body: string): QueryToken[] {
  const normalized = searchForm(body);
  let prevEnd = -1;
  return tokens(normalized).map((t) => {
    const joined = t.start === prevEnd;
    prevEnd = t.end;
    return { text: t.text, single: t.single, joined };
  });
}

function isSpace(ch: string): boolean {
  return /\s/u.test(ch);
}
