// The app's own protocol for media, `tim-media://<sha256>`: the only way the desktop window gets a media file. The
// window names content (a sha256 from a message view), never a path, and never a remote URL; the main process
// answers with the bytes of a file the archive stored under that sha256, or with nothing. Electron-free: main
// registers `mediaProtocolHandler` with protocol.handle, and tests call it with plain Requests.

import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { isSha256, type StoredFile } from './read';
import { MEDIA_SCHEME } from './url';

export { MEDIA_SCHEME, mediaUrl } from './url';

/** Privileges for protocol.registerSchemesAsPrivileged: secure (no mixed-content block), streaming for players. */
export const MEDIA_SCHEME_PRIVILEGES = { standard: true, secure: true, stream: true } as const;

/**
 * Types served as themselves; anything else (HTML, SVG, PDF, an executable…) goes out as a download-only
 * octet-stream, so a stored file can never become a page or a script in the window.
 */
const SERVED: ReadonlySet<string> = new Set([
  'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif',
  'audio/mpeg', 'audio/mp4', 'audio/aac', 'audio/wav', 'audio/x-wav', 'audio/wave', 'audio/ogg', 'audio/webm', 'audio/flac',
  'video/mp4', 'video/webm', 'video/ogg',
]);

/** Finds the stored file of a sha256 in the archives the app has open (undefined: not stored, or gone). */
export type StoredFileLookup = (sha256: string) => Promise<StoredFile | undefined>;

/** protocol.handle's handler: GET and HEAD of `tim-media://<sha256>` only, whole or by one byte range. */
export function mediaProtocolHandler(lookup: StoredFileLookup): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    const sha256 = shaOf(request.url);
    if (!sha256) return refuse(400);
    const file = await lookup(sha256);
    if (!file) return refuse(404);
    const type = SERVED.has(file.mime) ? file.mime : 'application/octet-stream';
    const range = request.headers.get('range');
    const span = range === null ? { start: 0, end: file.size - 1 } : byteRange(range, file.size);
    if (!span) return new Response(null, { status: 416, headers: { ...HEADERS, 'Content-Range': `bytes */${file.size}` } });
    const length = Math.max(0, span.end - span.start + 1);
    const headers: Record<string, string> = {
      ...HEADERS,
      'Content-Type': type,
      'Content-Length': String(length),
      'Accept-Ranges': 'bytes',
      // Content-addressed: these bytes never change under this URL.
      'Cache-Control': 'private, max-age=31536000, immutable',
      ...(range !== null ? { 'Content-Range': `bytes ${span.start}-${span.end}/${file.size}` } : {}),
    };
    const status = range !== null ? 206 : 200;
    if (request.method === 'HEAD' || length === 0) return new Response(null, { status, headers });
    // Streamed: a long video is never read whole into memory.
    const body = Readable.toWeb(createReadStream(file.path, { start: span.start, end: span.end })) as ReadableStream<Uint8Array>;
    return new Response(body, { status, headers });
  };
}

/** Every answer: not a document that could run anything, nothing sniffed into another type. */
const HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': "default-src 'none'; sandbox" } as const;

function refuse(status: number): Response {
  return new Response(null, { status, headers: { ...HEADERS, 'Content-Type': 'text/plain' } });
}

/** `tim-media://<sha256>` exactly (a trailing slash allowed): no path, query, fragment, user or port. */
function shaOf(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${MEDIA_SCHEME}:` || url.username || url.password || url.port || url.search || url.hash) return undefined;
  if (url.pathname !== '' && url.pathname !== '/') return undefined;
  return isSha256(url.hostname) ? url.hostname : undefined;
}

/** One range of `bytes=a-b`, `bytes=a-` or `bytes=-n` (what players send), clamped to the file; else undefined. */
function byteRange(header: string, size: number): { start: number; end: number } | undefined {
  const m = /^bytes=(\d*)-(\d*)$/u.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    return n > 0 && size > 0 ? { start: Math.max(0, size - n), end: size - 1 } : undefined;
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start < size && start <= end ? { start, end } : undefined;
}
