// JSON with 64-bit cursors. get_appid_group_list's `Next` is an unsigned 64-bit integer that Tencent writes as
// a bare JSON number; JSON.parse would round it above 2^53 and the next page would be the wrong one (or an
// error). We quote the top-level `Next` number before parsing, so it arrives as its exact decimal string, and
// write bigint values back as bare integers.

const BACKSLASH = 0x5c;

/** JSON.parse, except that a top-level "Next" integer becomes its decimal string. */
export function parseWithExactNext(text: string): unknown {
  return JSON.parse(quoteTopLevelNext(text));
}

export function quoteTopLevelNext(text: string): string {
  if (!text.includes('"Next"')) return text;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const end = stringEnd(text, i);
      if (end < 0) return text; // unterminated: let JSON.parse report it
      if (depth === 1 && end - i === 5 && text.startsWith('Next', i + 1)) {
        const number = integerValueAfterKey(text, end + 1);
        if (number) return `${text.slice(0, number.start)}"${text.slice(number.start, number.end)}"${text.slice(number.end)}`;
      }
      i = end;
    } else if (ch === '{' || ch === '[') {
      depth++;
    } else if (ch === '}' || ch === ']') {
      depth--;
    }
  }
  return text;
}

/** Index of the quote closing the string that opens at `open`, or -1. Skips whole strings with indexOf. */
function stringEnd(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

/** The bounds of an integer literal following `: ` at `from` (a key's value), if that is what follows. */
function integerValueAfterKey(text: string, from: number): { start: number; end: number } | undefined {
  const re = /\s*:\s*(-?\d+)(?![\d.eE])/y;
  re.lastIndex = from;
  const m = re.exec(text);
  if (!m) return undefined;
  const end = re.lastIndex;
  return { start: end - m[1]!.length, end };
}

/** JSON.stringify of a request body whose top-level bigint values are written as bare integers. */
export function encodeBody(body: object): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${typeof value === 'bigint' ? value.toString() : JSON.stringify(value)}`);
  }
  return `{${parts.join(',')}}`;
}

/** A decimal string of an unsigned 64-bit integer, as a bigint; undefined if it is not one. */
export function uint64(decimal: string): bigint | undefined {
  if (!/^\d{1,20}$/.test(decimal)) return undefined;
  const n = BigInt(decimal);
  return n <= 0xffff_ffff_ffff_ffffn ? n : undefined;
}
