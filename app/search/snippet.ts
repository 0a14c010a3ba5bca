// Snippets: a short stretch of a message's display text around its first match, with the matches marked.
// Returned as segments, never as markup, so a renderer cannot be tricked into interpreting message text; the
// CLI prints a plain form with «» (or colours). Marking is best effort: matches are decided on the whole
// message (./match); here each character is normalized on its own to keep offsets, which can differ in rare
// compositions, and a match only in a file name, nested forward or sender name leaves the snippet unmarked.

import { findTerm } from './match';
import { searchForm, tokens } from './normalize';
import type { Term } from './query';

export interface Segment {
  text: string;
  match: boolean;
}

/** Characters of display text looked at for marks; a match further into a 60 kB message shows its start. */
const SCAN_CHARS = 20_000;
const CONTEXT_BEFORE = 30;
const CLUSTER = /\P{M}\p{M}*|\p{M}+/gsu;

/** The normalized text with, for each of its UTF-16 units, the [start, end) of the original it came from. */
function normalizedWithOffsets(text: string): { normalized: string; from: Int32Array; to: Int32Array } {
  if (!/[^\0-\x7f]/u.test(text)) {
    const from = Int32Array.from({ length: text.length }, (_, i) => i);
    return { normalized: text.toLowerCase(), from, to: from.map((i) => i + 1) };
  }
  let normalized = '';
  const from: number[] = [];
  const to: number[] = [];
  for (const m of text.matchAll(CLUSTER)) {
    const n = searchForm(m[0]);
    normalized += n;
    for (let k = 0; k < n.length; k++) {
      from.push(m.index);
      to.push(m.index + m[0].length);
    }
  }
  return { normalized, from: Int32Array.from(from), to: Int32Array.from(to) };
}

/** Original [start, end) ranges where the terms occur, sorted and merged. */
function matchRanges(text: string, terms: readonly Term[]): [number, number][] {
  const { normalized, from, to } = normalizedWithOffsets(text);
  const toks = tokens(normalized);
  const ranges: [number, number][] = [];
  for (const term of terms) {
    const q = term.tokens;
    for (let i = findTerm(term, toks); i >= 0; i = findTerm(term, toks, i + 1)) {
      const lastTok = toks[i + q.length - 1]!;
      const lastWant = q[q.length - 1]!;
      // A prefix match marks the prefix: "meet" in "meeting" marks "meet".
      const endNorm = lastWant.single ? lastTok.end : Math.min(lastTok.end, lastTok.start + lastWant.text.length);
      ranges.push([from[toks[i]!.start]!, to[endNorm - 1]!]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const prev = merged[merged.length - 1];
    if (prev && r[0] <= prev[1]) prev[1] = Math.max(prev[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** Up to about `maxChars` of `text` around its first match (its start when nothing is marked). */
export function snippet(text: string, terms: readonly Term[], maxChars = 160): Segment[] {
  const scanned = text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text;
  const ranges = matchRanges(scanned, terms);
  let start = ranges.length ? Math.max(0, ranges[0]![0] - CONTEXT_BEFORE) : 0;
  let end = Math.min(text.length, start + maxChars);
  if (end - start < maxChars) start = Math.max(0, end - maxChars);
  start = codePointBoundary(text, start);
  end = codePointBoundary(text, end);
  const out: Segment[] = [];
  const push = (s: string, match: boolean) => {
    const flat = s.replace(/\s+/gu, ' ');
    if (flat) out.push({ text: flat, match });
  };
  if (start > 0) push('…', false);
  let at = start;
  for (const [a, b] of ranges) {
    if (b <= start || a >= end) continue;
    const lo = Math.max(a, start);
    const hi = Math.min(b, end);
    push(text.slice(at, lo), false);
    push(text.slice(lo, hi), true);
    at = hi;
  }
  push(text.slice(at, end), false);
  if (end < text.length) push('…', false);
  return out;
}

/** The snippet as one line of plain text, matches between `open` and `close` (default «»). */
export function snippetText(segments: readonly Segment[], open = '«', close = '»'): string {
  return segments.map((s) => (s.match ? `${open}${s.text}${close}` : s.text)).join('');
}

/** Moves an offset off the second half of a surrogate pair so no snippet starts or ends mid-character. */
function codePointBoundary(text: string, at: number): number {
  const c = text.charCodeAt(at);
  return at > 0 && at < text.length && c >= 0xdc00 && c <= 0xdfff ? at - 1 : at;
}
