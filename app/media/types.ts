// The words of the media store that the renderer shares (it has no Node): which rendition, what kind, what state,
// and what the archive knows of a rendition. ./model is the store's contract and re-exports these.

/** Which file of an element: an image has up to three renditions, a video two. A person's avatar is an image of
 *  its own (./avatar.ts), not part of any message. */
export type Rendition = 'original' | 'large' | 'thumbnail' | 'file' | 'sound' | 'video' | 'video-thumbnail' | 'avatar';

export type MediaKind = 'image' | 'file' | 'sound' | 'video';

/**
 * media.state. Final: stored, expired (Tencent answered 403/404/410), too-large (over the policy's maximum:
 * recorded, not fetched), skipped (the policy leaves it out, e.g. originals under --media thumbnails), no-url (an
 * old SDK's element without a URL). Not final: pending (not tried yet, or to retry), failed (gave up for this run
 * after retries; a later run or `tim-backup media retry` tries again).
 */
export type MediaState = 'pending' | 'stored' | 'expired' | 'failed' | 'too-large' | 'skipped' | 'no-url';

/** What the archive knows of one rendition: its state in the store and, once stored, its bytes' identity. */
export interface MediaCopy {
  key: string;
  state: MediaState;
  /** Lowercase hex; set when stored. */
  sha256?: string;
  /** The stored size in bytes, else the size the element declares (0 when it declares none). */
  size: number;
  /** The sniffed type of the stored bytes. */
  mime?: string;
}
