// The development and test bridge: serves the built renderer (renderer/dist) to a plain browser and gives it a
// `window.api` of the preload's shape, answered by the real worker thread (engine, archive, search, export) over
// HTTP and Server-Sent Events. Every call goes through the same argument validators as the main process; the
// main process's own operations (dialogs, the shell, app facts) get stand-ins that a test can observe.
//
// Local only: it listens on 127.0.0.1 and answers calls only from pages it served itself (Origin check — the
// browser's stand-in for main's sender-frame check). Its page CSP is the app's, except that connect-src allows
// this server ('self'), the only relaxation, and only here.

import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parseLang } from '../../../app/export/i18n';
import {
  API_GLOBAL, type AppError, type AppInfo, type ArgsOf, EVENTS, type MainOperation, OPERATION_HOME, type Operation, OPERATIONS, type Result,
  subscriptionName, type ValueOf, type WorkerOperation,
} from '../../../app/ipc/contract';
import { validate } from '../../../app/ipc/validators';
import { WorkerClient } from '../../../app/worker/client';
import type { BridgeSpec } from './browser-api';

export const APP_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'";
export const BRIDGE_CSP = APP_CSP.replace("connect-src 'none'", "connect-src 'self'");
const BASE = '/__bridge/';
const MAX_BODY = 1 << 20;

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const RENDERER_DIST = join(ROOT, 'renderer', 'dist');
const WORKER_ENTRY = new URL('../../../app/worker/host.ts', import.meta.url);

export interface BridgeOptions {
  /** The worker's data folder: profiles.json and archives. */
  dataDir: string;
  /** Where the stand-in for the native save dialog puts exports; default `<dataDir>/exports`. */
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
  const worker = new WorkerClient({
    entry: WORKER_ENTRY,
    config: { dataDir: opts.dataDir, ...(opts.keychainService ? { keychainService: opts.keychainService } : {}) },
    typescript: true,
  });
  const shellCalls: ShellCall[] = [];
  const streams = new Set<ServerResponse>();
  const offEvents = worker.onEvent((e) => {
    const data = `data: ${JSON.stringify({ name: e.name, payload: e.payload })}\n\n`;
    for (const res of streams) res.write(data);
  });
  const apiScript = browserApiScript();
  let dialogs = 0;

  const shell: { [K in MainOperation]: (arg: ArgsOf<K>[0], req: IncomingMessage) => Promise<ValueOf<K>> } = {
    async appInfo(_arg, req) {
      // The browser's language stands in for the OS locale Electron reports.
      const locale = req.headers['accept-language']?.split(',')[0]?.split(';')[0]?.trim() || 'en-US';
      const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
      return { version: pkg.version, locale, lang: parseLang(locale) ?? 'en', platform: process.platform, packaged: false, dataDir: opts.dataDir } satisfies AppInfo;
    },
    async chooseFolder(arg) {
      // No native dialog here: a new, empty destination in the exports folder, as if the person had typed one.
      await mkdir(exportsDir, { recursive: true });
      dialogs++;
      return arg.kind === 'folder' ? join(exportsDir, `export-${dialogs}`) : join(exportsDir, `${dialogs}-${arg.defaultName ?? 'export'}`);
    },
    async showInFolder(arg) {
      console.log(`[bridge] show in folder: ${arg.path}`);
    },
    async openExternal(arg) {
      if (!/^https:\/\//iu.test(arg.url)) throw new Refusal('invalid-argument', 'Only https links are opened.');
      console.log(`[bridge] open in browser: ${arg.url}`);
    },
  };

  async function dispatch(op: Operation, arg: unknown, req: IncomingMessage): Promise<Result<unknown>> {
    let args: unknown[];
    try {
      args = validate(op, arg);
    } catch (err) {
      return failure('invalid-argument', err instanceof Error ? err.message : 'The request is not valid.');
    }
    if (OPERATION_HOME[op] === 'worker') return worker.call(op as WorkerOperation, ...(args as ArgsOf<WorkerOperation>));
    const main = op as MainOperation;
    shellCalls.push({ op: main, arg: args[0] });
    try {
      const run = shell[main] as (a: unknown, r: IncomingMessage) => Promise<unknown>;
      return { ok: true, value: await run(args[0], req) };
    } catch (err) {
      return err instanceof Refusal ? failure(err.kind, err.message) : failure('internal', 'The bridge could not do that.');
    }
  }

  const server = createServer((req, res) => {
    void route(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://bridge');
    if (url.pathname.startsWith(`${BASE}call/`)) {
      const op = url.pathname.slice(`${BASE}call/`.length) as Operation;
      if (req.method !== 'POST' || !OPERATIONS.includes(op)) return void res.writeHead(404).end();
      if (req.headers.origin !== origin()) return json(res, 403, failure('forbidden', 'Calls are accepted only from pages this bridge served.'));
      const body = await readBody(req);
      let arg: unknown;
      try {
        arg = (JSON.parse(body) as { arg?: unknown }).arg;
      } catch {
        return json(res, 400, failure('invalid-argument', 'The request body is not JSON.'));
      }
      return json(res, 200, await dispatch(op, arg, req));
    }
    if (url.pathname === `${BASE}events`) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (url.pathname === `${BASE}api.js`) return send(res, 200, 'text/javascript; charset=utf-8', apiScript);
    // What the stand-ins for the main process were asked (tests check "Show in folder" with it).
    if (url.pathname === `${BASE}shell`) return json(res, 200, shellCalls);
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    return serveFile(distDir, url.pathname, res);
  }

  function origin(): string {
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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

class Refusal extends Error {
  constructor(
    readonly kind: AppError['kind'],
    message: string,
  ) {
    super(message);
  }
}

function failure(kind: AppError['kind'], message: string): Result<never> {
  return { ok: false, error: { kind, message } };
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
  if (file.endsWith('index.html')) return send(res, 200, TYPES['.html']!, bridgedIndex(body.toString('utf8')));
  send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', body);
}

/** The built index.html with the bridge's script first and connect-src opened to this server. */
export function bridgedIndex(html: string): string {
  if (!html.includes(APP_CSP)) throw new Error('renderer/dist/index.html does not carry the app CSP; rebuild the renderer.');
  return html.replace(APP_CSP, BRIDGE_CSP).replace('</title>', `</title>\n    <script src=".${BASE}api.js"></script>`);
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'content-security-policy': BRIDGE_CSP, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json', JSON.stringify(value));
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

/** browser-api.ts as a classic script (it must run before the renderer's module), installed with the contract's names. */
function browserApiScript(): string {
  const source = ts.sys.readFile(fileURLToPath(new URL('./browser-api.ts', import.meta.url)));
  if (source === undefined) throw new Error('test/e2e/bridge/browser-api.ts is missing');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const spec: BridgeSpec = {
    base: `.${BASE}`,
    global: API_GLOBAL,
    operations: OPERATIONS,
    events: EVENTS.map((name) => ({ name, subscription: subscriptionName(name) })),
  };
  return `(function () {\nvar exports = {};\n${outputText}\nexports.installApi(${JSON.stringify(spec)});\n})();\n`;
}
