// The HTTP side: Tencent's request checks in Tencent's order, the per-API sliding-window rate limit, then the
// API; latency and network faults on the way out. See README.md for every code and the order of checks.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { LIMITS, SERVICES } from '../../app/im/wire';
import { HANDLERS } from './apis';
import { parseJsonLossless, stringifyJsonLossless } from './big-json';
import { Counters } from './counters';
import { ERR, TimFail, fail } from './errors';
import { SlidingWindow } from './sliding-window';
import type { ApiName, Emulator, EmulatorFaults, EmulatorOptions, FaultKind } from './types';
import type { EmulatedGroup } from './seq-space';
import { verifyUserSig } from './usersig';
import { type EmuApp, buildApp } from './world';
import { type EmulatedPeople, emulatedPeople } from './people';
import { MediaHost } from './media';

const API_BY_PATH = new Map<string, ApiName>(
  Object.values(SERVICES).map((path) => [`/${path}`, path.slice(path.lastIndexOf('/') + 1) as ApiName]),
);
const DEFAULT_RATE: Record<ApiName, number> = {
  group_msg_get_simple: LIMITS.groupApiPerSecond,
  get_appid_group_list: LIMITS.groupListPerSecond,
  get_group_info: LIMITS.groupApiPerSecond,
  get_group_member_info: LIMITS.groupApiPerSecond,
  portrait_get: LIMITS.groupApiPerSecond,
  get_topic: LIMITS.groupApiPerSecond,
};
const DEFAULT_BUDGET = 64 * 1024;
const DEFAULT_SLOW_MS = 4000;
const MAX_BODY_BYTES = 1024 * 1024;
const UINT32_MAX = 4294967295;
const GROWTH_TICK_MS = 100;
const BAD_GATEWAY = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

interface Query {
  sdkappid: string;
  identifier: string;
  usersig: string;
}

interface Verdict {
  envelope: Record<string, unknown>;
  /** Passed every request check (auth, rate): only such requests meet injected faults. */
  passed: boolean;
}

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  const clockMs = opts.clockMs ?? (() => performance.now());
  const apps = new Map<number, EmuApp>();
  const sleepers = new Set<() => void>();
  const media = new MediaHost((ms) => sleep(ms));
  media.setBandwidth(opts.mediaBandwidth);
  const people = new Map<EmuApp, EmulatedPeople>();
  for (const spec of opts.apps) {
    if (apps.has(spec.sdkAppId)) throw new Error(`SDKAppID ${spec.sdkAppId} is defined twice`);
    for (const key of Object.keys(spec.rateLimits ?? {})) {
      if (!(key in DEFAULT_RATE)) throw new Error(`rateLimits: unknown API ${key}; use one of ${Object.keys(DEFAULT_RATE).join(', ')}`);
    }
    apps.set(spec.sdkAppId, buildApp(spec, now, media));
  }
  media.avatarInUse = (url) => [...apps.values()].some((app) => [...app.profiles.values()].some((p) => app.publicUrl(p.image) === url));
  let faults: EmulatorFaults = { ...opts.faults };
  let latencyMs = opts.latencyMs ?? 0;
  let jitterMs = opts.jitterMs ?? 0;
  const budget = opts.responseBudgetBytes ?? DEFAULT_BUDGET;
  const windows = new Map<string, SlidingWindow>();
  const counters = new Counters();
  let closed = false;

  function checkRequest(method: string | undefined, url: URL, api: ApiName | undefined, bodyText: string | undefined): { app: EmuApp; body: Record<string, unknown> } {
    if (method !== 'POST') fail(ERR.url, `HTTP method ${method ?? '?'} is not allowed: every REST API call is a POST`);
    if (!api) fail(ERR.url, `invalid command: ${url.pathname} is not an API of this server`);
    const q = queryOf(url);
    const body = bodyOf(bodyText);
    if (!/^[1-9]\d{0,9}$/.test(q.sdkappid) || Number(q.sdkappid) > UINT32_MAX) fail(ERR.sdkAppIdSyntax, 'sdkappid must be the decimal SDKAppID from the console');
    const app = apps.get(Number(q.sdkappid));
    if (!app) fail(ERR.sdkAppIdUnknown, `SDKAppID ${q.sdkappid} does not exist`);
    if (app.spec.disabled) fail(ERR.appDisabled, `the application ${q.sdkappid} is disabled`);
    verifyUserSig(q.usersig, { sdkAppId: app.spec.sdkAppId, identifier: q.identifier, secretKey: app.spec.secretKey, now: now() });
    if (!app.spec.admins.includes(q.identifier)) fail(ERR.notAdmin, `${q.identifier} is not an App admin of ${q.sdkappid}: REST calls must be made as an App admin`);
    // Rejected calls stay in the window: a client that keeps hammering stays limited (the stricter reading).
    const key = `${app.spec.sdkAppId}/${api}`;
    let window = windows.get(key);
    if (!window) windows.set(key, (window = new SlidingWindow()));
    const limit = app.spec.rateLimits?.[api] ?? DEFAULT_RATE[api];
    if (window.hit(clockMs()) > limit) fail(app.spec.rateLimitCode ?? ERR.rate, `${api} is limited to ${limit} calls per second; slow down`);
    return { app, body };
  }

  function verdictOf(method: string | undefined, url: URL, api: ApiName | undefined, bodyText: string | undefined): Verdict {
    let checked;
    try {
      checked = checkRequest(method, url, api, bodyText);
    } catch (e) {
      return { envelope: failure(e), passed: false };
    }
    try {
      const fields = HANDLERS[api!](checked.body, { app: checked.app, responseBudgetBytes: budget });
      return { envelope: { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0, ...fields }, passed: true };
    } catch (e) {
      return { envelope: failure(e), passed: true };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (media.handles(url.pathname)) return media.serve(req, res, url);
    const api = API_BY_PATH.get(url.pathname);
    const key = api ?? 'unknown';
    counters.arrive(key, clockMs());
    res.on('close', () => counters.depart(key));
    const bodyText = await readBody(req);
    if (bodyText === null) {
      res.destroy(); // the client went away mid-request
      return;
    }
    const { envelope, passed } = verdictOf(req.method, url, api, bodyText);
    const fault = passed ? pickFault(faults) : undefined;
    const slow = passed && Math.random() < (faults.pSlow ?? 0);
    if (slow) counters.fault(key, 'slow');
    await sleep(Math.max(0, latencyMs + (Math.random() * 2 - 1) * jitterMs) + (slow ? (faults.slowMs ?? DEFAULT_SLOW_MS) : 0));
    if (closed || res.destroyed) {
      res.destroy();
      return;
    }
    if (fault) counters.fault(key, fault);
    if (fault === '502') {
      res.writeHead(502, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(BAD_GATEWAY) });
      res.end(BAD_GATEWAY);
      return;
    }
    const sent = fault === '10002' ? { ActionStatus: 'FAIL', ErrorInfo: 'internal server error, please retry', ErrorCode: ERR.internal } : envelope;
    const payload = Buffer.from(stringifyJsonLossless(sent));
    if (fault === 'truncated') {
      const cut = payload.subarray(0, Math.max(1, Math.floor(payload.length * 0.6)));
      res.writeHead(200, jsonHeaders(cut.length));
      res.end(cut);
      return;
    }
    res.writeHead(200, jsonHeaders(payload.length));
    if (fault === 'reset') {
      res.write(payload.subarray(0, Math.max(1, payload.length >> 1)), () => res.destroy());
      return;
    }
    counters.code(key, sent.ErrorCode as number);
    res.end(payload);
  }

  function sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }

  const server = createServer({ keepAlive: true, keepAliveTimeout: 30_000 }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      // An emulator bug, not an emulated failure: make it loud.
      console.error('emulator: internal error', e);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  media.base = base;

  const growth = (opts.growth ?? []).map(({ groupId, perSecond }) => {
    const spaces = [...apps.values()].flatMap((a) => a.groups.get(groupId)?.main ?? []);
    if (spaces.length === 0) throw new Error(`growth: no app has a group ${groupId}`);
    return { spaces, perSecond, owed: 0 };
  });
  let lastTick = performance.now();
  const ticker = growth.length
    ? setInterval(() => {
        const t = performance.now();
        for (const g of growth) {
          g.owed += ((t - lastTick) / 1000) * g.perSecond;
          const n = Math.floor(g.owed);
          g.owed -= n;
          for (const s of g.spaces) s.append(n);
        }
        lastTick = t;
      }, GROWTH_TICK_MS)
    : undefined;
  ticker?.unref();

  return {
    url: base,
    media,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(ticker);
      for (const wake of [...sleepers]) wake();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await done;
    },
    setFaults(f) {
      faults = { ...f };
    },
    setLatency(ms, jitter = 0) {
      latencyMs = ms;
      jitterMs = jitter;
    },
    group(sdkAppId, groupId, topicId): EmulatedGroup {
      const group = apps.get(sdkAppId)?.groups.get(groupId);
      if (!group) throw new Error(`the emulator has no group ${groupId} in app ${sdkAppId}`);
      if (topicId === undefined) return group.main;
      const topic = group.topics.get(topicId);
      if (!topic) throw new Error(`group ${groupId} has no topic ${topicId}`);
      return topic;
    },
    people(sdkAppId) {
      const app = apps.get(sdkAppId);
      if (!app) throw new Error(`the emulator has no app ${sdkAppId}`);
      let p = people.get(app);
      if (!p) people.set(app, (p = emulatedPeople(app, now)));
      return p;
    },
    counters: () => counters.snapshot(),
    resetCounters: () => counters.reset(),
  };
}

function queryOf(url: URL): Query {
  const q = url.searchParams;
  const one = (name: string): string => {
    const all = q.getAll(name);
    if (all.length !== 1) fail(ERR.url, all.length ? `query parameter ${name} is given ${all.length} times` : `query parameter ${name} is missing`);
    return all[0]!;
  };
  const sdkappid = one('sdkappid');
  const identifier = one('identifier');
  const usersig = one('usersig');
  const random = one('random');
  const contenttype = one('contenttype');
  if (sdkappid === '') fail(ERR.url, 'query parameter sdkappid is empty');
  if (identifier === '') fail(ERR.url, 'query parameter identifier is empty');
  if (!/^(?:0|[1-9]\d{0,9})$/.test(random) || Number(random) > UINT32_MAX) fail(ERR.url, 'query parameter random must be an integer from 0 to 4294967295');
  if (contenttype !== 'json') fail(ERR.url, 'query parameter contenttype must be json');
  return { sdkappid, identifier, usersig };
}

function bodyOf(text: string | undefined): Record<string, unknown> {
  if (text === undefined) fail(ERR.body, 'request body is not UTF-8 text or is too large');
  if (text.trim() === '') fail(ERR.body, 'request body is empty: send {} when there is nothing to say');
  let body: unknown;
  try {
    body = parseJsonLossless(text);
  } catch {
    fail(ERR.body, 'request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail(ERR.body, 'request body must be a JSON object');
  return body as Record<string, unknown>;
}

function failure(e: unknown): Record<string, unknown> {
  if (!(e instanceof TimFail)) throw e;
  return { ActionStatus: 'FAIL', ErrorInfo: e.message, ErrorCode: e.code };
}

/** The whole body as UTF-8 text; undefined when it is not UTF-8 or over the size limit; null when the client aborted. */
async function readBody(req: IncomingMessage): Promise<string | undefined | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    }
  } catch {
    return null;
  }
  if (size > MAX_BODY_BYTES) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    return undefined;
  }
}

function pickFault(f: EmulatorFaults): Exclude<FaultKind, 'slow'> | undefined {
  let r = Math.random();
  for (const [kind, p] of [['10002', f.p10002], ['502', f.p502], ['reset', f.pReset], ['truncated', f.pTruncated]] as const) {
    if ((r -= p ?? 0) < 0) return kind;
  }
  return undefined;
}

function jsonHeaders(length: number): Record<string, string | number> {
  return { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': length };
}
