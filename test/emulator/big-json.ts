// JSON with 64-bit integers: get_appid_group_list's Next is a bare JSON integer above 2^53. The emulator must
// read it back exactly (to tell a client that rounded it through a double) and write it bare.

import { randomBytes } from 'node:crypto';

// A string no request or message can contain, standing for "this was an integer literal".
const MARK = `\u0000big${randomBytes(8).toString('hex')}:`;
const MARKED = new RegExp(`"${JSON.stringify(MARK).slice(1, -1).replace(/\\/g, '\\\\')}(-?\\d+)"`, 'g');
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** JSON.parse (same errors), except that integer literals beyond ±2^53 come back as bigint. */
export function parseJsonLossless(text: string): unknown {
  const plain: unknown = JSON.parse(text);
  if (!/\d{16}/.test(text)) return plain;
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote (the text is valid JSON, so escapes are well-formed).
      for (i++; text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      i++;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const literal = NUMBER.exec(text)![0];
      if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += text.slice(last, i) + JSON.stringify(MARK + literal);
        last = i + literal.length;
      }
      i += literal.length;
    } else {
      i++;
    }
  }
  return JSON.parse(out + text.slice(last), (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(MARK) ? BigInt(value.slice(MARK.length)) : value,
  );
}

/** JSON.stringify, except that bigint values are written as bare integers. */
export function stringifyJsonLossless(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? MARK + v.toString() : v));
  return text.includes('big') ? text.replace(MARKED, '$1') : text;
}
