// The exact decision "does this term occur in this text", on the tokens of ./normalize. FTS only proposes
// candidates; every hit is decided here, so this file and ./README.md's definition are the specification.

import type { Token } from './normalize';
import type { Term } from './query';

/**
 * The index of the first token, at or after `from`, where the term occurs; -1 if it does not. A term occurs
 * where consecutive tokens of the text equal its tokens: CJK characters exactly, words whole, except that an
 * unquoted term's final word may be a prefix (meet → meeting). Tokens typed with nothing between them (你好,
 * abc你好) must also have nothing between them in the text, which makes a CJK run an exact substring.
 */
export function findTerm(term: Term, text: readonly Token[], from = 0): number {
  const q = term.tokens;
  const last = q.length - 1;
  const prefixLast = !term.quoted && !q[last]!.single;
  outer: for (let i = from; i + last < text.length; i++) {
    for (let j = 0; j <= last; j++) {
      const want = q[j]!;
      const got = text[i + j]!;
      if (want.single !== got.single) continue outer;
      if (j === last && prefixLast ? !got.text.startsWith(want.text) : got.text !== want.text) continue outer;
      if (j > 0 && want.joined && got.start !== text[i + j - 1]!.end) continue outer;
    }
    return i;
  }
  return -1;
}

export function termOccurs(term: Term, text: readonly Token[]): boolean {
  return findTerm(term, text) >= 0;
}
