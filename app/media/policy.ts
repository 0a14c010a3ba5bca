// What a backup keeps of the media: the one policy shared by the recorder (which states new items start in), the
// downloader (the size limit and the disk floor) and the CLI and profiles that set it.

import type { MediaRef, MediaState } from './model';

export type MediaMode = 'all' | 'thumbnails' | 'none';

export const MEDIA_MODES: readonly MediaMode[] = ['all', 'thumbnails', 'none'];

export interface MediaPolicy {
  /** all: every rendition; thumbnails: image and video thumbnails and avatars only; none: record the media, fetch nothing. */
  mode: MediaMode;
  /** Larger files (by the size the element declares, or by what arrives) are recorded as too-large, not kept. */
  maxBytes: number;
  /** Below this much free space on the media folder's drive, media downloads pause (messages go on). */
  diskFloorBytes: number;
}

export const DEFAULT_MEDIA_POLICY: Readonly<MediaPolicy> = {
  mode: 'all',
  maxBytes: 200 * 1024 * 1024,
  diskFloorBytes: 1024 * 1024 * 1024,
};

/** A saved profile's media settings (app/ipc/contract.ts MediaSettings) over the defaults. */
export function policyOf(saved: Partial<MediaPolicy> | undefined): MediaPolicy {
  return {
    mode: saved?.mode ?? DEFAULT_MEDIA_POLICY.mode,
    maxBytes: saved?.maxBytes ?? DEFAULT_MEDIA_POLICY.maxBytes,
    diskFloorBytes: saved?.diskFloorBytes ?? DEFAULT_MEDIA_POLICY.diskFloorBytes,
  };
}

// Avatars are small pictures like thumbnails: kept under --media thumbnails too.
const THUMBNAILS: ReadonlySet<MediaRef['rendition']> = new Set(['thumbnail', 'video-thumbnail', 'avatar']);

/** The state a newly seen rendition starts in under this policy. */
export function initialState(ref: MediaRef, policy: MediaPolicy): MediaState {
  if (ref.url === undefined) return 'no-url';
  if (policy.mode === 'none' || (policy.mode === 'thumbnails' && !THUMBNAILS.has(ref.rendition))) return 'skipped';
  if (ref.declaredSize > policy.maxBytes) return 'too-large';
  return 'pending';
}

/** `--media` / a profile's setting; undefined when the word is not one of the modes. */
export function parseMediaMode(word: string): MediaMode | undefined {
  return (MEDIA_MODES as readonly string[]).includes(word) ? (word as MediaMode) : undefined;
}

/** "200MB", "1.5 GB", "500k", "1048576": bytes; undefined when it is not a size. Units are powers of 1024. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase()[0]!;
  const factor = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[unit]!;
  const bytes = Math.round(Number(m[1]) * factor);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}
