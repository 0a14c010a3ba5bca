// The one rule for links that leave the app: only https URLs (without credentials) open, in the default browser.
// Main enforces it (openExternal); the window uses it to draw as links only what will open. Free of Node, so the
// renderer's build can import it.

/** The URL to open, or undefined for anything that must not leave the app (http:, javascript:, file:, …). */
export function externalUrl(candidate: string): string | undefined {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return undefined;
  return url.href;
}
