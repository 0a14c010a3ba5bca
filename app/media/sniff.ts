// The type of a downloaded file from its first bytes, never from the name or the server's Content-Type (both come
// from chat content or a CDN and say whatever they like). Recorded as media.mime for the viewer and exports.

/** Bytes needed to recognize every signature below. */
export const SNIFF_BYTES = 16;

const SIGNATURES: readonly (readonly [string, (b: Buffer) => boolean])[] = [
  ['image/jpeg', (b) => starts(b, [0xff, 0xd8, 0xff])],
  ['image/png', (b) => starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['image/gif', (b) => ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')],
  ['image/webp', (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')],
  ['image/bmp', (b) => ascii(b, 0, 'BM') && b.length >= 14],
  ['image/heic', (b) => ascii(b, 4, 'ftyp') && ['heic', 'heix', 'mif1', 'msf1'].some((t) => ascii(b, 8, t))],
  ['video/mp4', (b) => ascii(b, 4, 'ftyp')],
  ['video/webm', (b) => starts(b, [0x1a, 0x45, 0xdf, 0xa3])],
  ['audio/wav', (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE')],
  ['audio/ogg', (b) => ascii(b, 0, 'OggS')],
  ['audio/amr', (b) => ascii(b, 0, '#!AMR')],
  // WeChat/QQ-style SILK voice, with or without its leading 0x02.
  ['audio/silk', (b) => ascii(b, 0, '#!SILK') || (b[0] === 0x02 && ascii(b, 1, '#!SILK'))],
  ['audio/mpeg', (b) => ascii(b, 0, 'ID3') || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0 && ((b[1] ?? 0) & 0x06) !== 0)],
  ['audio/aac', (b) => b[0] === 0xff && ((b[1] ?? 0) & 0xf6) === 0xf0],
  ['application/pdf', (b) => ascii(b, 0, '%PDF-')],
  ['application/zip', (b) => starts(b, [0x50, 0x4b, 0x03, 0x04])],
];

export function sniffMime(head: Buffer): string {
  for (const [mime, test] of SIGNATURES) if (test(head)) return mime;
  return 'application/octet-stream';
}

function starts(b: Buffer, bytes: number[]): boolean {
  return b.length >= bytes.length && bytes.every((x, i) => b[i] === x);
}

function ascii(b: Buffer, at: number, text: string): boolean {
  return b.length >= at + text.length && b.toString('latin1', at, at + text.length) === text;
}
