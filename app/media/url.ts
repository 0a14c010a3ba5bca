// The address of a stored media file in the desktop window: `tim-media://<sha256>`, by content, never a path.
// Node-free, so the renderer builds these URLs with the same rule main answers them by (./protocol).

export const MEDIA_SCHEME = 'tim-media';

export function mediaUrl(sha256: string): string {
  return `${MEDIA_SCHEME}://${sha256}`;
}
