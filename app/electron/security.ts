// The security settings of the window and what it may load, as plain data and pure functions, so tests check
// them without Electron: the window's webPreferences, the app:// protocol (files of the renderer build only, with
// a path-traversal check and a strict CSP) and which frames may call the API. Which URLs may open outside is
// app/ipc/external-url.ts (the renderer applies the same rule).

import { readFile } from 'node:fs/promises';
import { extname, relative, resolve, sep, isAbsolute } from 'node:path';
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** The renderer is served as app://tim/…: a standard, secure scheme of our own, never file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'tim';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Privileges for protocol.registerSchemesAsPrivileged: an origin of its own ('self' works) and fetch for assets. */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

/**
 * The renderer never uses the network, runs no inline script or style, and cannot be framed. Media come only
 * from the app's own tim-media: protocol (stored files by content hash, app/media/protocol.ts).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: tim-media:",
  "media-src tim-media:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function secureWebPreferences(preload: string, packaged: boolean): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: !packaged,
  };
}

export function windowOptions(preload: string, packaged: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 760,
    minHeight: 520,
    title: 'TIM Group Backup',
    // Shown once the first paint is ready, so there is no white flash before the theme applies.
    show: false,
    webPreferences: secureWebPreferences(preload, packaged),
  };
}

/** The parts of Electron's WebFrameMain the sender check needs. */
export interface FrameLike {
  url: string;
  parent: FrameLike | null;
}

/** True only for the top-level frame of our own page: not a sub-frame, not another scheme or host. */
export function isAppFrame(frame: FrameLike | null | undefined): boolean {
  if (!frame || frame.parent !== null) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
}

/**
 * What the page may have revealed in the file manager: only files and folders the app itself produced (an
 * export, an archive, the data folder), so a compromised page cannot point the shell anywhere. Never a UNC path
 * (\\host\share, //host/share), even one the app wrote to: Windows would authenticate to that host, handing
 * it the login's hash.
 */
export function mayReveal(path: string, produced: ReadonlySet<string>): boolean {
  return !/^[\\/]{2}/u.test(path) && produced.has(path);
}

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** The app:// handler: files under `root` only, GET only, every response with the CSP and no sniffing. */
export function appProtocolHandler(root: string): (request: Request) => Promise<Response> {
  const base = resolve(root);
  const headers = (type: string) => ({
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  const refuse = (status: number) => new Response(null, { status, headers: headers('text/plain') });
  return async (request) => {
    if (request.method !== 'GET') return refuse(405);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(400);
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return refuse(400);
    }
    if (path.includes('\0')) return refuse(400);
    const file = resolve(base, `.${path === '/' ? '/index.html' : path}`);
    const rel = relative(base, file);
    // Outside the renderer build (../, an absolute path on another drive, an encoded separator): refused.
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return refuse(404);
    const type = MIME[extname(file).toLowerCase()];
    if (!type) return refuse(404);
    try {
      return new Response(await readFile(file), { status: 200, headers: headers(type) });
    } catch {
      return refuse(404);
    }
  };
}
