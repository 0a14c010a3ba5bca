// The development and test bridge: serves the built renderer (renderer/dist) to a plain browser, with a
// `window.api` made by the preload's own code (./browser-api.ts) over HTTP, answered by the main process's own
// handler (app/electron/handlers.ts: validation, Result) in front of the real worker thread (engine, archive,
// search, export). The main process's own operations (dialogs, the shell, app facts) get stand-ins that a test
// can observe.
//
// Local only: it listens on 127.0.0.1 and answers calls only from pages it served itself — the Origin check is
// this bridge's sender check, after which a call counts as coming from the app's window. Its CSP is the app's,
// except connect-src 'self' (the page's own calls to this server): the only relaxation, and only here.

import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Rollup } from 'vite';
import { handle, type InvokeEventLike } from '../../../app/electron/handlers';
import { type MainOperations, Refused, routeOperations } from '../../../app/electron/operations';
import { APP_URL, CONTENT_SECURITY_POLICY } from '../../../app/electron/security';
import { parseLang } from '../../../app/export/i18n';
import { type AppInfo, channel, type MainOperation, type Operation, OPERATIONS } from '../../../app/ipc/contract';
import { externalUrl } from '../../../app/ipc/external-url';
import { mediaFileOps } from '../../../app/media/file-ops';
import { mediaProtocolHandler } from '../../../app/media/protocol';
import { WorkerClient } from '../../../app/worker/client';

/** The CSP the renderer's index.html carries (renderer/index.html); the bridge checks the build still has it. */
export const APP_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: tim-media:; media-src tim-media:; connect-src 'none'";
const RELAX = (csp: string) => csp.replace("connect-src 'none'", "connect-src 'self'");
const BASE = '/__bridge/';
const MAX_BODY = 1 << 20;

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const RENDERER_DIST = join(ROOT, 'renderer', 'dist');
const WORKER_ENTRY = new URL('../../../app/worker/host.ts', import.meta.url);
const BROWSER_API = fileURLToPath(new URL('./browser-api.ts', import.meta.url));

/** Every call passed the Origin check, so it is handled as the app's own top-level frame would be. */
const APP_FRAME: InvokeEventLike = { senderFrame: { url: APP_URL, parent: null }, sender: { id: 1 } };

export interface BridgeOptions {
  /** The worker's data folder: profiles.json and archives. */
  dataDir: string;
  /** Where the stand-in for the native dialogs puts exports; default `<dataDir>/exports`. */
  exportsDir?: string;
  /** Keychain service name, so tests never touch a real profile's key. */
  keychainService?: string;
  port?: number;
  distDir?: string;
}

/** A main-process operation the bridge answered, for tests to check (e.g. that "Show in folder" was asked for). */
export interface ShellCall {
  op: MainOperation;
  arg: unknown;
}

export interface Bridge {
  url: string;
  shellCalls: ShellCall[];
  close(): Promise<void>;
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const distDir = opts.distDir ?? RENDERER_DIST;
  const exportsDir = opts.exportsDir ?? join(opts.dataDir, 'exports');
  const apiScript = await bundleBrowserApi();
  const worker = new WorkerClient({
    entry: WORKER_ENTRY,
    config: { dataDir: opts.dataDir, ...(opts.keychainService ? { keychainService: opts.keychainService } : {}) },
    typescript: true,
  });
  const shellCalls: ShellCall[] = [];
  const streams = new Set<ServerResponse>();
  const offEvents = worker.onEvent((e) => {
    const data = `data: ${JSON.stringify({ channel: channel.event(e.name), payload: e.payload })}\n\n`;
    for (const res of streams) res.write(data);
  });
  let dialogs = 0;
  let acceptLanguage = '';

  const shell: MainOperations = {
    // Saved copies go where chooseFolder's would; "show" is logged. The lookup and checks are the app's own.
    ...mediaFileOps((sha256) => worker.mediaFile(sha256), {
      async chooseSavePath(defaultName) {
        await mkdir(exportsDir, { recursive: true });
        return join(exportsDir, `${++dialogs}-${defaultName}`);
      },
      reveal: (path) => console.log(`[bridge] show in folder: ${path}`),
    }),
    async appInfo() {
      // The browser's language stands in for the OS locale Electron reports.
      const locale = acceptLanguage.split(',')[0]?.split(';')[0]?.trim() || 'en-US';
      const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
      return { version: pkg.version, locale, lang: parseLang(locale) ?? 'en', platform: process.platform, packaged: false, dataDir: opts.dataDir } satisfies AppInfo;
    },
    async chooseFolder({ kind, defaultName }) {
      // No native dialog here: a new, empty destination in the exports folder, as if the person had picked one.
      await mkdir(exportsDir, { recursive: true });
      dialogs++;
      return kind === 'folder' ? join(exportsDir, `export-${dialogs}`) : join(exportsDir, `${dialogs}-${defaultName ?? 'export'}`);
    },
    async showInFolder({ path }) {
      console.log(`[bridge] show in folder: ${path}`);
    },
    async openPath({ path }) {
      console.log(`[bridge] open: ${path}`);
    },
    async setLanguage({ lang }) {
      console.log(`[bridge] language: ${lang}`);
    },
    async openExternal({ url }) {
      if (!externalUrl(url)) throw new Refused('Only https:// links can be opened from TIM Group Backup.');
      console.log(`[bridge] open in the browser: ${url}`);
    },
  };

  // What the page asked of main, recorded for tests, then routed (and guarded) as the app routes it.
  const recorded = Object.fromEntries(
    Object.entries(shell).map(([op, run]) => [op, (arg: unknown) => (shellCalls.push({ op: op as MainOperation, arg }), (run as (a: unknown) => Promise<unknown>)(arg))]),
  ) as MainOperations;
  const impl = routeOperations(worker, recorded);
  const media = mediaProtocolHandler((sha256) => worker.mediaFile(sha256));
  const handlerOptions = { isAppContents: () => true, log: (line: string) => console.error(`[bridge] ${line}`) };
  const operationOf = new Map<string, Operation>(OPERATIONS.map((op) => [channel.operation(op), op]));

  const server = createServer((req, res) => {
    void route(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const origin = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://bridge');
    switch (url.pathname) {
      case `${BASE}invoke`: {
        if (req.method !== 'POST') return void res.writeHead(405).end();
        if (req.headers.origin !== origin()) return json(res, 403, { ok: false, error: { kind: 'forbidden', message: 'Calls are accepted only from pages this bridge served.' } });
        let body: { channel?: unknown; args?: unknown };
        try {
          body = JSON.parse(await readBody(req)) as typeof body;
        } catch {
          return json(res, 400, { ok: false, error: { kind: 'invalid-argument', message: 'The request body is not JSON.' } });
        }
        const op = typeof body.channel === 'string' ? operationOf.get(body.channel) : undefined;
        if (!op || !Array.isArray(body.args)) return void res.writeHead(404).end();
        acceptLanguage = req.headers['accept-language'] ?? '';
        return json(res, 200, await handle(op, impl, handlerOptions, APP_FRAME, body.args));
      }
      case `${BASE}events`:
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      case `${BASE}api.js`:
        return send(res, 200, TYPES['.js']!, apiScript);
      case `${BASE}notification-click`: {
        // Main's part when a notification is clicked (app/electron/app.ts notify): the screen that explains it, as
        // the navigate event to the window. Tests click "notifications" here.
        if (req.method !== 'POST') return void res.writeHead(405).end();
        if (req.headers.origin !== origin()) return void res.writeHead(403).end();
        const data = `data: ${JSON.stringify({ channel: channel.event('navigate'), payload: JSON.parse(await readBody(req)) })}\n\n`;
        for (const stream of streams) stream.write(data);
        return json(res, 200, { ok: true });
      }
      case `${BASE}shell`:
        // What the stand-ins for the main process were asked (tests check "Show in folder" with it).
        return json(res, 200, shellCalls);
    }
    if (url.pathname.startsWith(`${BASE}media/`)) {
      // tim-media://<sha256> as main answers it (app/media/protocol.ts, the worker's lookup); the tests route the
      // page's tim-media: requests here (harness.ts routeMedia), as Electron's protocol.handle would take them.
      const range = req.headers.range;
      const answer = await media(new Request(`tim-media://${url.pathname.slice(`${BASE}media/`.length)}`, { method: req.method ?? 'GET', ...(range ? { headers: { range } } : {}) }));
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      return void res.end(Buffer.from(await answer.arrayBuffer()));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    return serveFile(distDir, url.pathname, res);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });

  return {
    url: `${origin()}/`,
    shellCalls,
    async close() {
      offEvents();
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await worker.shutdown();
    },
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

async function serveFile(distDir: string, pathname: string, res: ServerResponse): Promise<void> {
  const root = resolve(distDir);
  const file = resolve(root, `.${decodeURIComponent(pathname === '/' ? '/index.html' : pathname)}`);
  if (file !== root && !file.startsWith(root + sep)) return void res.writeHead(403).end();
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return void res.writeHead(404).end();
  }
  if (file === join(root, 'index.html')) return send(res, 200, TYPES['.html']!, bridgedIndex(body.toString('utf8')));
  send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', body);
}

/** The built index.html with the bridge's script first and connect-src opened to this server. */
export function bridgedIndex(html: string): string {
  if (!html.includes(APP_CSP)) throw new Error('renderer/dist/index.html does not carry the app CSP; rebuild the renderer.');
  return html.replace(APP_CSP, RELAX(APP_CSP)).replace('</title>', `</title>\n    <script src=".${BASE}api.js"></script>`);
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'content-security-policy': RELAX(CONTENT_SECURITY_POLICY), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, TYPES['.json']!, JSON.stringify(value));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

/** browser-api.ts and what it imports as one classic script: it must run before the renderer's module. */
async function bundleBrowserApi(): Promise<string> {
  const out = (await build({
    configFile: false,
    logLevel: 'error',
    build: { write: false, minify: false, lib: { entry: BROWSER_API, formats: ['iife'], name: 'timBridge', fileName: 'api' } },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const chunk = (Array.isArray(out) ? out[0] : out)?.output.find((o) => o.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('bundling test/e2e/bridge/browser-api.ts gave no script');
  return chunk.code;
}
