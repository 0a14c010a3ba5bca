// The one definition of "searchable form" shared by the indexer (at ingest) and the query compiler.
//
// sql.js has FTS4 with unicode61 only: it would see a run of Chinese as a single token, so 你好 could never be
// found inside 大家你好啊. We therefore put every Han/Kana/Hangul character in its own token (surround it with
// spaces) before indexing, and query CJK runs as phrases of single-character tokens, which gives exact
// substring semantics. NFKC folds full-width/half-width forms; unicode61 itself folds case and (with
// remove_diacritics=2) accents, so Latin words need nothing more here.

/** Characters that are indexed one per token. */
export const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3005\u3006\u30fc]/u;
const CJK_GLOBAL = new RegExp(CJK_CHAR.source, 'gu');

/** NFKC, with lone surrogates replaced so that no input can make the SQLite tokenizer misbehave. */
export function fold(text: string): string {
  return text.toWellFormed().normalize('NFKC');
}

/** The text stored in the full-text index for one message. */
export function indexForm(text: string): string {
  return fold(text).replace(CJK_GLOBAL, ' $& ');
}
