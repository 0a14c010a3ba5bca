// Why a media item is not in the store: a stable code with a detail, stored in media.last_error as
// "code: detail" and put into words (English or Chinese) only when shown (./words.ts).

export type MediaErrorCode =
  | 'expired'
  | 'refused-scheme'
  | 'refused-address'
  | 'refused-url'
  | 'too-many-redirects'
  | 'bad-redirect'
  | 'longer-than-declared'
  | 'shorter-than-declared'
  | 'too-large'
  | 'http-status'
  | 'network'
  | 'timeout'
  | 'write-failed'
  | 'cancelled';

export interface MediaReason {
  code: MediaErrorCode;
  detail: string;
}

export function formatReason(r: MediaReason): string {
  return r.detail ? `${r.code}: ${r.detail}` : r.code;
}

/** A stored last_error back into its parts (an unknown code, from a newer version, is kept as the detail). */
export function parseReason(text: string): MediaReason | { code: undefined; detail: string } {
  const m = /^([a-z-]+)(?:: (.*))?$/s.exec(text);
  if (m && (CODES as readonly string[]).includes(m[1]!)) return { code: m[1] as MediaErrorCode, detail: m[2] ?? '' };
  return { code: undefined, detail: text };
}

const CODES: readonly MediaErrorCode[] = [
  'expired', 'refused-scheme', 'refused-address', 'refused-url', 'too-many-redirects', 'bad-redirect', 'longer-than-declared',
  'shorter-than-declared', 'too-large', 'http-status', 'network', 'timeout', 'write-failed', 'cancelled',
];
