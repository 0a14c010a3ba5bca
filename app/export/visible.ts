// Message text as a reader can see it, the same in every export format and in the desktop reader. Pure.
//
// Invisible or invalid characters are made visible rather than dropped, so a transcript never silently differs
// from what was said: C0 control characters become their Unicode "control pictures" (NUL → ␀, ESC → ␛; a
// terminal showing the TXT export then cannot be driven by escape sequences either), C1 controls, lone
// surrogates and noncharacters become U+FFFD (they cannot be written as UTF-8 or be part of a valid HTML document), and CR LF
// or a lone CR becomes LF (HTML parsers do that anyway; doing it first keeps every format identical).
// Bidi overrides and zero-width characters are kept: they are text, and the HTML isolates each field instead.

const NEEDS_WORK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Noncharacter_Code_Point}\p{Cs}]/u;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/gu;
const INVALID = /[\u0080-\u009f\p{Noncharacter_Code_Point}]/gu;

export function visibleText(text: string): string {
  const s = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  if (!NEEDS_WORK.test(s)) return s;
  return s
    .toWellFormed()
    .replace(CONTROL, (c) => String.fromCharCode(c === '\u007f' ? 0x2421 : 0x2400 + c.charCodeAt(0)))
    .replace(INVALID, '\ufffd');
}

export interface TextSegment {
  text: string;
  /** Set only for an http(s) URL, as parsed and re-serialized by the URL parser. */
  href?: string;
}

// Printable ASCII minus quotes and angle brackets: a URL in chat ends at the first space or CJK character.
const URL_CANDIDATE = /(?<![A-Za-z0-9])https?:\/\/[!#-&(-;=?-~]+/giu;
const TRAILING = /[.,;:!?'*]+$/u;
const HAS_URL = /https?:\/\//iu;

/** An absolute http(s) URL as a safe href, or undefined for anything else (javascript:, data:, relative…). */
export function httpUrl(candidate: unknown): string | undefined {
  if (typeof candidate !== 'string' || candidate === '') return undefined;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url.href : undefined;
}

/** Visible text split into plain runs and http(s) links; the segments' texts concatenate to the text. */
export function textSegments(text: string): TextSegment[] {
  const s = visibleText(text);
  if (!HAS_URL.test(s)) return [{ text: s }];
  const out: TextSegment[] = [];
  let last = 0;
  for (const m of s.matchAll(URL_CANDIDATE)) {
    const url = trimUrl(m[0]);
    const href = httpUrl(url);
    if (!href) continue;
    if (m.index > last) out.push({ text: s.slice(last, m.index) });
    out.push({ text: url, href });
    last = m.index + url.length;
  }
  if (last < s.length || out.length === 0) out.push({ text: s.slice(last) });
  return out;
}

/** Sentence punctuation after a URL, and a closing bracket that has no opening one inside it, are not part of it. */
function trimUrl(url: string): string {
  let u = url;
  for (;;) {
    const before = u;
    u = u.replace(TRAILING, '');
    for (const [open, close] of [['(', ')'], ['[', ']']] as const) {
      if (u.endsWith(close) && count(u, open) < count(u, close)) u = u.slice(0, -1);
    }
    if (u === before) return u;
  }
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

const BINARYISH = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

/**
 * A string that is really bytes (a custom element's Data, some faces' Data) is shown with JSON-style escapes,
 * the way Tencent's own documentation writes them ("\b\u0001\u0010…"); anything else as visible text.
 */
export function bytesOrText(s: string): { text: string; escaped: boolean } {
  if (s.isWellFormed() && !BINARYISH.test(s)) return { text: visibleText(s), escaped: false };
  return { text: JSON.stringify(s).slice(1, -1), escaped: true };
}
