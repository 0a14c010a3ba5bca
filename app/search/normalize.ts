// The one definition of "searchable form" shared by the indexer (at ingest), the query parser, the match
// verifier and the snippet marker. ./README.md explains the choices; in short:
//
// SQLite's FTS4 tokenizers (unicode61 here) see a run of Chinese as a single token, so 你好 could never be
// found inside 大家你好啊. We therefore tokenize in JS: every Han/Kana/Hangul character is a token of its own,
// and so is every symbol (emoji, currency, arrows, math: Unicode's S categories), so 👍 and 👍👍 can be searched;
// a word is a maximal run of other letters and digits. The index stores those tokens separated by spaces;
// queries ask FTS for phrases of them (candidates) and the verifier decides exactly, on the same tokens.

/** Characters that are indexed one per token. */
const CJK_CLASS = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3005\u3006\u30fc`;
export const CJK_CHAR = new RegExp(`[${CJK_CLASS}]`, 'u');
/** Symbols: indexed one per token, like CJK characters. */
const SYMBOL = /\p{S}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/**
 * Text made only of ASCII, the CJK Unified Ideographs block, 、。, the ideographic space and full-width ASCII
 * forms (，！？：（）and the like) — most Chinese chat. For these, NFKC is a plain mapping (full-width forms to
 * ASCII, the ideographic space to a space) and nothing has a canonical decomposition, marks or invisible
 * characters, so searchForm() reduces to that mapping and lower case (test/search/normalize.test.ts).
 */
const PLAIN = /^[\0-\x7f\u3000-\u3002\u4e00-\u9fff\uff01-\uff5e]*$/u;
const WIDE = /[\u3000\uff01-\uff5e]/gu;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
const HAS_IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const HAS_MARK = /\p{M}/u;
/** A run of combining marks and the character they sit on (none at the start of the text). */
const MARKS = /([^\p{M}]?)(\p{M}+)/gu;
const ANY_MARK = /\p{M}/gu;

/** NFKC, with lone surrogates replaced so that no input can make the SQLite tokenizer misbehave. */
export function fold(text: string): string {
  return text.toWellFormed().normalize('NFKC');
}

/**
 * The normalized text every match is decided on: fold() (full-width/half-width and compatibility forms),
 * lower case, diacritics removed from everything but CJK (が stays が: removing its dakuten would make か find
 * it), invisible characters (zero-width joiners, soft hyphens, variation selectors) removed.
 */
export function searchForm(text: string): string {
  // Ingest runs this on every message: each step below is skipped when it cannot change the text.
  if (PLAIN.test(text)) return text.replace(WIDE, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0))).toLowerCase();
  let s = fold(text).toLowerCase();
  if (HAS_IGNORABLE.test(s)) s = s.replace(IGNORABLE, '');
  const decomposed = s.normalize('NFD');
  if (HAS_MARK.test(decomposed)) {
    s = decomposed
      .replace(MARKS, (all: string, base: string) => (base && CJK_CHAR.test(base) ? all : base))
      .normalize('NFC')
      // A mark that did not compose with its CJK character (a stray dakuten after a Han character) is noise.
      .replace(ANY_MARK, '');
  }
  // Final sigma is a context-dependent lower case; σ and ς are one letter to a reader.
  return s.includes('ς') ? s.replaceAll('ς', 'σ') : s;
}

export interface Token {
  text: string;
  /** UTF-16 offsets in the searchForm() text. */
  start: number;
  end: number;
  /** One character (CJK or a symbol), matched exactly; otherwise a word. */
  single: boolean;
}

/** The ASCII symbols ($ + < = > ^ ` | ~), by code point. */
const ASCII_SYMBOLS = new Set([0x24, 0x2b, 0x3c, 0x3d, 0x3e, 0x5e, 0x60, 0x7c, 0x7e]);

const SEPARATOR = 0;
const WORD = 1;
const CJK = 2;
const SYMBOL_CHAR = 3;
type CharClass = typeof SEPARATOR | typeof WORD | typeof CJK | typeof SYMBOL_CHAR;

/** Token classes of one code point: CJK characters and symbols are tokens of their own. */
function classOf(cp: number): CharClass {
  if (cp < 0x80) return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) ? WORD : ASCII_SYMBOLS.has(cp) ? SYMBOL_CHAR : SEPARATOR;
  // CJK Unified Ideographs, the bulk of Chinese text, without a regular expression.
  if (cp >= 0x4e00 && cp <= 0x9fff) return CJK;
  const ch = String.fromCodePoint(cp);
  if (CJK_CHAR.test(ch)) return CJK;
  if (SYMBOL.test(ch)) return SYMBOL_CHAR;
  return LETTER_OR_DIGIT.test(ch) ? WORD : SEPARATOR;
}

/** Calls `emit` for each token of a normalized text, in order (see tokens()). */
function scan(normalized: string, emit: (start: number, end: number, cls: CharClass) => void): void {
  let wordStart = -1;
  for (let i = 0; i < normalized.length; ) {
    const cp = normalized.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const cls = classOf(cp);
    if (cls === WORD) {
      if (wordStart < 0) wordStart = i;
    } else {
      if (wordStart >= 0) emit(wordStart, i, WORD);
      wordStart = -1;
      if (cls !== SEPARATOR) emit(i, i + width, cls);
    }
    i += width;
  }
  if (wordStart >= 0) emit(wordStart, normalized.length, WORD);
}

/**
 * The tokens of a searchForm() text, in order: every CJK character (Han, Kana, Hangul, 々〆ー) and every symbol
 * (emoji included) is a token, a word is a maximal run of other letters and digits, and everything else
 * (spaces, punctuation) separates tokens.
 */
export function tokens(normalized: string): Token[] {
  const out: Token[] = [];
  scan(normalized, (start, end, cls) => out.push({ text: normalized.slice(start, end), start, end, single: cls !== WORD }));
  return out;
}

/**
 * How a token is spelled in the full-text index. unicode61 indexes letters and digits only, so a symbol is
 * written as a word of them that no one types (👍 → zzs1f44d); a stray match of that word in a text only adds a
 * candidate, which the verifier drops.
 */
export function indexToken(token: string): string {
  const cp = token.codePointAt(0)!;
  return classOf(cp) === SYMBOL_CHAR ? symbolWord(cp) : token;
}

function symbolWord(cp: number): string {
  return `zzs${cp.toString(16)}`;
}

/**
 * The thirty most frequent characters of written Chinese, each in a tenth to a third of Chinese chat. A phrase
 * made only of them (我们的人) had FTS read their doclists whole to find a handful of messages (10M messages:
 * 300 ms); so the index also holds every two of them written side by side as a word of its own (pairWord), and
 * such a phrase is looked up by its pairs' short doclists. It costs ~8% more index entries in Chinese chat.
 * Changing this set changes what the index holds: only with a new archive migration.
 */
const COMMON_HAN = '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年';
/** COMMON_HAN by UTF-16 code (all are in the Basic Multilingual Plane): ingest asks for every Han character. */
const COMMON_CODE = new Uint8Array(0x10000);
for (let i = 0; i < COMMON_HAN.length; i++) COMMON_CODE[COMMON_HAN.charCodeAt(i)] = 1;

/** Whether a token is one of the thirty most frequent characters (its doclist is among the index's longest). */
export function isCommonHan(token: string): boolean {
  return token.length === 1 && COMMON_CODE[token.charCodeAt(0)] === 1;
}

/** Whether the index holds the pair word of these two tokens when they stand side by side. */
export function isCommonPair(first: string, second: string): boolean {
  return isCommonHan(first) && isCommonHan(second);
}

/** The index's word for two common characters side by side (的人 → zzp76844eba): letters and digits only. */
export function pairWord(first: string, second: string): string {
  return `zzp${first.codePointAt(0)!.toString(16)}${second.codePointAt(0)!.toString(16)}`;
}

/**
 * The text stored in the full-text index for one message: its tokens, separated by spaces, then the pair word of
 * each two common characters side by side (isCommonPair), once each. Archives indexed before symbols were tokens
 * need their index rebuilt (app/search/rebuild.ts) for symbols to be found in them; archives indexed before pairs
 * get theirs at the upgrade to schema v11 (app/archive/fts.ts fillPairs).
 */
export function indexForm(text: string): string {
  const { words, pairs } = indexWords(text);
  if (pairs) words.push(...pairs);
  return words.join(' ');
}

/** Only the pair words indexForm() adds to a text ('' for none): what an archive indexed before them lacks. */
export function pairWords(text: string): string {
  const { pairs } = indexWords(text);
  return pairs ? [...pairs].join(' ') : '';
}

/** Ingest runs this on every message: no object per token, the common characters looked up by code. */
function indexWords(text: string): { words: string[]; pairs?: Set<string> } {
  const normalized = searchForm(text);
  const words: string[] = [];
  let pairs: Set<string> | undefined;
  // The common character that ended right before the token being emitted, if any (a pair needs adjacency).
  let commonEnd = -1;
  let common = '';
  scan(normalized, (start, end, cls) => {
    const token = cls === SYMBOL_CHAR ? symbolWord(normalized.codePointAt(start)!) : normalized.slice(start, end);
    words.push(token);
    if (cls !== CJK || !isCommonHan(token)) return void (commonEnd = -1);
    if (commonEnd === start) (pairs ??= new Set()).add(pairWord(common, token));
    commonEnd = end;
    common = token;
  });
  return pairs ? { words, pairs } : { words };
}
