// Avatars (the profile tag Tag_Profile_IM_Image) in the media store. The tag is a URL the app itself set with
// portrait_set — Tencent does not sign it, and a new avatar is a new URL — so the URL is the avatar's identity:
// one media row per URL (people who share a default avatar share it), its bytes stored by sha256 like every
// rendition. Each avatar period in people_history points at that row (`media_key`).

import type { MediaRef } from './model';

/** The avatar at `url` as the media table keys it (`<url>:avatar`, as `<uuid>:<rendition>`); undefined for an
 *  empty tag (no avatar). */
export function avatarRef(url: string): MediaRef | undefined {
  if (url === '') return undefined;
  // A value that is no web address (some apps store the number of a built-in picture) is kept in the history
  // but never fetched.
  return { key: `${url}:avatar`, uuid: url, rendition: 'avatar', kind: 'image', url: /^https?:\/\//i.test(url) ? url : undefined, declaredSize: 0 };
}
