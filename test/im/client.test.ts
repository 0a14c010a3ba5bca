// The client against the emulator over real HTTP: every error kind, the 70001 renew-and-retry, 64-bit paging,
// batching, lossless responses, and no secret in any error or inspection.

import { once } from 'node:events';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImClient, type ImClientOptions } from '../../app/im/client';
import { ImError } from '../../app/im/errors';
import { type GroupMsg, SERVICES } from '../../app/im/wire';
import { type AppSpec, type Emulator, startEmulator } from '../emulator/index';
import { withoutSignatures } from '../../app/media/model';

const KEY = '0c9a4e7f2b61d8c35e0a9f1b7d2c4e6a8b0d2f4e6c8a0b2d4f6e8a0c2e4b6d8f';
const WRONG_KEY = 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff';
const GROUPS = Array.from({ length: 60 }, (_, i) => `grp-${String(i).padStart(2, '0')}`);
const COMMUNITY = '@TGS#_@TGS#cCOMMUNITY';

const MAIN: AppSpec = {
  sdkAppId: 1400000100,
  secretKey: KEY,
  admins: ['admin'],
  // Paging tests make several list calls at once; the 1/s limit itself is the pacer's business (engine tests).
  rateLimits: { get_appid_group_list: 1000 },
  groups: [
    { groupId: 'chat', messages: 3000, seed: 7 },
    { groupId: 'live', type: 'AVChatRoom', messages: 0 },
    { groupId: COMMUNITY, type: 'Community', messages: 30, topics: [`${COMMUNITY}@TOPIC#_t1`], members: 250 },
    ...GROUPS.map((groupId) => ({ groupId, messages: 1, members: 2 })),
  ],
};
const DISABLED: AppSpec = { sdkAppId: 1400000200, secretKey: KEY, admins: ['admin'], disabled: true, groups: [{ groupId: 'g' }] };
// A low limit, so that the flood exceeds it even on a loaded machine that cannot send 200 requests in a second.
const FLOOD: AppSpec = { sdkAppId: 1400000300, secretKey: KEY, admins: ['admin'], rateLimits: { group_msg_get_simple: 50 }, groups: [{ groupId: 'f', messages: 5 }] };
const SLOW_LIMIT: AppSpec = {
  sdkAppId: 1400000400,
  secretKey: KEY,
  admins: ['admin'],
  rateLimitCode: 10006,
  rateLimits: { group_msg_get_simple: 3 },
  groups: [{ groupId: 'f', messages: 5 }],
};

let emulator: Emulator;
const clients: ImClient[] = [];
/** Every error any test saw, checked for secrets at the end. */
const seen: unknown[] = [];

function client(over: Partial<ImClientOptions> = {}, app: AppSpec = MAIN, url = emulator.url): ImClient {
  const c = new ImClient({ endpoint: url, sdkAppId: app.sdkAppId, identifier: app.admins[0]!, secretKey: app.secretKey, ...over });
  clients.push(c);
  return c;
}

async function failure(p: Promise<unknown>): Promise<ImError> {
  const err = await p.then(
    () => expect.unreachable('the call should have failed'),
    (e: unknown) => e,
  );
  seen.push(err);
  expect(err).toBeInstanceOf(ImError);
  return err as ImError;
}

beforeAll(async () => {
  emulator = await startEmulator({ apps: [MAIN, DISABLED, FLOOD, SLOW_LIMIT] });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await emulator?.close();
});

describe('group_msg_get_simple', () => {
  it('returns messages exactly as Tencent sent them, unknown fields included', async () => {
    const truth = emulator.group(MAIN.sdkAppId, 'chat');
    let future = 0;
    for (let s = truth.newestSeq; s > 0 && !future; s--) if (truth.view(s)?.['MsgFutureField'] !== undefined) future = s;
    expect(future).toBeGreaterThan(0);

    const res = await client().groupMsgGetSimple({ GroupId: 'chat', ReqMsgNumber: 20, ReqMsgSeq: future, WithRecalledMsg: 1 });
    expect(res).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0, GroupId: 'chat' });
    expect(res.RspMsgList.length).toBeGreaterThan(0);
    expect(res.RspMsgList.map(withoutSignatures)).toEqual(res.RspMsgList.map((m) => withoutSignatures(truth.view(m.MsgSeq)!)));
    expect(res.RspMsgList.find((m) => m.MsgSeq === future)?.['MsgFutureField']).toEqual(truth.view(future)!['MsgFutureField']);
  });

  it('reads the newest messages without ReqMsgSeq, and a Community topic', async () => {
    const c = client();
    const newest = await c.groupMsgGetSimple({ GroupId: 'chat', ReqMsgNumber: 5 });
    expect(Math.max(...newest.RspMsgList.map((m: GroupMsg) => m.MsgSeq))).toBe(emulator.group(MAIN.sdkAppId, 'chat').newestSeq);
    const topic = `${COMMUNITY}@TOPIC#_t1`;
    const res = await c.groupMsgGetSimple({ GroupId: COMMUNITY, TopicId: topic, ReqMsgNumber: 3, WithRecalledMsg: 1 });
    expect(res.RspMsgList.map(withoutSignatures)).toEqual(res.RspMsgList.map((m) => withoutSignatures(emulator.group(MAIN.sdkAppId, COMMUNITY, topic).view(m.MsgSeq)!)));
  });
});

describe('group listing and metadata', () => {
  it('pages get_appid_group_list with a Next above 2^53 that round-trips exactly', async () => {
    const c = client();
    let calls = 0;
    const pages = [];
    for await (const page of c.groupListPages({ limit: 25, beforeCall: async () => void calls++ })) pages.push(page);
    expect(pages.map((p) => p.GroupIdList.length)).toEqual([25, 25, 13]);
    expect(calls).toBe(3);
    expect(pages.flatMap((p) => p.GroupIdList.map((g) => g.GroupId))).toEqual(MAIN.groups.map((g) => g.groupId));
    expect(pages.at(-1)!.Next).toBe('0');
    for (const p of pages.slice(0, -1)) {
      expect(BigInt(p.Next)).toBeGreaterThan(2n ** 53n);
      expect(BigInt(Number(p.Next))).not.toBe(BigInt(p.Next)); // JSON.parse would have lost it
    }
    // The emulator refuses a rounded cursor: the exact one above is what made pages 2 and 3 work.
    const rounded = await failure(c.getAppidGroupList({ Limit: 25, Next: BigInt(Number(pages[0]!.Next)).toString() }));
    expect(rounded).toMatchObject({ kind: 'invalid-request', code: 10004 });
  });

  it('gets group info for more than 50 groups in batches, a bad ID being data', async () => {
    const c = client();
    const ids = [...GROUPS, 'no-such-group', 'x'.repeat(49), 'live'];
    const before = emulator.counters().apis.get_group_info?.requests ?? 0;
    const infos = await c.getGroupInfo(ids);
    expect(emulator.counters().apis.get_group_info!.requests - before).toBe(2);
    expect(infos.map((i) => i.GroupId)).toEqual(ids);
    expect(infos.find((i) => i.GroupId === 'no-such-group')).toMatchObject({ ErrorCode: 10010 });
    expect(infos.find((i) => i.GroupId === 'x'.repeat(49))).toMatchObject({ ErrorCode: 10015 });
    const live = infos.find((i) => i.GroupId === 'live')!;
    expect(live).toMatchObject({ ErrorCode: 0, Type: 'AVChatRoom', NextMsgSeq: 1 });
    expect(live['ApplyJoinOption']).toBeDefined(); // not in wire.ts: kept anyway
    expect(await c.getGroupInfo([])).toEqual([]);
  });

  it('pages Community members with Next and gets profiles in batches of 100', async () => {
    const c = client();
    const first = await c.getGroupMemberInfo({ GroupId: COMMUNITY, Limit: 200 });
    expect(first.MemberNum).toBe(250);
    expect(first.MemberList[0]!['MsgFlag']).toBeDefined(); // unknown field kept
    const rest = await c.getGroupMemberInfo({ GroupId: COMMUNITY, Limit: 200, Next: first.Next! });
    const accounts = [...first.MemberList, ...rest.MemberList].map((m) => m.Member_Account);
    expect(new Set(accounts).size).toBe(250);

    const before = emulator.counters().apis.portrait_get?.requests ?? 0;
    const profiles = await c.portraitGet([...accounts, 'ghost']);
    expect(emulator.counters().apis.portrait_get!.requests - before).toBe(3);
    expect(profiles.map((p) => p.To_Account)).toEqual([...accounts, 'ghost']);
    expect(profiles.at(-1)).toMatchObject({ ResultCode: 70107 });
    expect(profiles[0]!.ProfileItem).toEqual([{ Tag: 'Tag_Profile_IM_Nick', Value: expect.any(String) }]);
  });
});

describe('errors, classified', () => {
  it('credentials: wrong key, wrong SDKAppID, non-admin identifier, disabled app', async () => {
    const req = { GroupId: 'chat', ReqMsgNumber: 1 };
    expect(await failure(client({ secretKey: WRONG_KEY }).groupMsgGetSimple(req))).toMatchObject({ kind: 'credentials', part: 'key', code: 70009 });
    expect(await failure(client({ sdkAppId: 1400009999 }).groupMsgGetSimple(req))).toMatchObject({ kind: 'credentials', part: 'sdkappid', code: 70020 });
    const notAdmin = await failure(client({ identifier: 'bob' }).groupMsgGetSimple(req));
    expect(notAdmin).toMatchObject({ kind: 'credentials', part: 'identifier-not-admin', code: 60010 });
    expect(notAdmin.message).toMatch(/"bob" is not an App admin/);
    expect(await failure(client({}, DISABLED).groupMsgGetSimple({ GroupId: 'g', ReqMsgNumber: 1 }))).toMatchObject({
      kind: 'credentials',
      part: 'app-disabled',
      code: 60016,
    });
  });

  it('groups: unknown, invalid ID, AVChatRoom without history', async () => {
    const c = client();
    expect(await failure(c.groupMsgGetSimple({ GroupId: 'nope', ReqMsgNumber: 1 }))).toMatchObject({ kind: 'group', reason: 'not-found', code: 10010 });
    expect(await failure(c.groupMsgGetSimple({ GroupId: 'x'.repeat(49), ReqMsgNumber: 1 }))).toMatchObject({ kind: 'group', reason: 'invalid-id', code: 10015 });
    const live = await failure(c.groupMsgGetSimple({ GroupId: 'live', ReqMsgNumber: 1 }));
    expect(live).toMatchObject({ kind: 'group', reason: 'no-history', code: 10007, path: SERVICES.groupMsgGetSimple });
    expect(live.message).toMatch(/AVChatRoom/);
  });

  it('invalid requests carry Tencent\'s ErrorInfo', async () => {
    const c = client();
    const zero = await failure(c.groupMsgGetSimple({ GroupId: 'chat', ReqMsgNumber: 0 }));
    expect(zero).toMatchObject({ kind: 'invalid-request', code: 10004 });
    expect(zero.info).toMatch(/ReqMsgNumber/);
    expect(zero.message).toContain(zero.info);
    const topic = await failure(c.groupMsgGetSimple({ GroupId: 'chat', ReqMsgNumber: 1, TopicId: 't' }));
    expect(topic).toMatchObject({ kind: 'invalid-request', code: 10004 });
  });

  it('rate limited: a flood over the limit, and the 10006 variant', async () => {
    const c = client({}, FLOOD);
    emulator.setLatency(20); // answers take a while, so requests pile up in flight
    emulator.resetCounters();
    const results = await Promise.allSettled(Array.from({ length: 400 }, () => c.groupMsgGetSimple({ GroupId: 'f', ReqMsgNumber: 1 })));
    emulator.setLatency(0);
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => r.reason as unknown);
    seen.push(...rejected);
    expect(rejected.length).toBeGreaterThan(0);
    expect(results.length - rejected.length).toBeGreaterThan(0);
    for (const e of rejected) expect(e).toMatchObject({ kind: 'rate-limited', code: 60007 });
    // Parallel, but never more than the pool's 64 connections at once.
    expect(emulator.counters().apis.group_msg_get_simple!.maxInFlight).toBeGreaterThan(16);
    expect(emulator.counters().apis.group_msg_get_simple!.maxInFlight).toBeLessThanOrEqual(64);

    const slow = client({}, SLOW_LIMIT);
    const few = await Promise.allSettled(Array.from({ length: 6 }, () => slow.groupMsgGetSimple({ GroupId: 'f', ReqMsgNumber: 1 })));
    const refused = few.filter((r) => r.status === 'rejected').map((r) => r.reason as unknown);
    seen.push(...refused);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    for (const e of refused) expect(e).toMatchObject({ kind: 'rate-limited', code: 10006 });
  });

  it('testConnection reports the outcome instead of throwing', async () => {
    const ok = await client().testConnection();
    expect(ok).toMatchObject({ ok: true, totalGroups: MAIN.groups.length });
    const bad = await client({ secretKey: WRONG_KEY }).testConnection();
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      seen.push(bad.error);
      expect(bad.error).toMatchObject({ kind: 'credentials', part: 'key' });
    }
  });
});

describe('an expired UserSig', () => {
  const T = 1_800_000_000;
  const DAY = 86_400;
  let clock: Emulator;
  let serverNow = T;
  let clientNow = T;

  beforeAll(async () => {
    clock = await startEmulator({ apps: [MAIN], now: () => serverNow });
  });
  afterAll(() => clock.close());

  const expired = () => clock.counters().apis.group_msg_get_simple?.codes['70001'] ?? 0;

  it('is renewed and the call retried once', async () => {
    const c = client({ now: () => clientNow }, MAIN, clock.url);
    await c.groupMsgGetSimple({ GroupId: 'chat', ReqMsgNumber: 1 });
    // Our clock says the sig has two hours left; Tencent's says it expired: only a 70001 can tell us.
    clientNow = T + DAY - 7200;
    serverNow = T + DAY + 5;
    const res = await c.groupMsgGetSimple({ GroupId: 'chat', ReqMsgNumber: 1 });
    expect(res.RspMsgList).toHaveLength(1);
    expect(expired()).toBe(1);
    await c.groupMsgGetSimple({ GroupId: 'chat', ReqMsgNumber: 1 });
    expect(expired()).toBe(1); // the renewed sig is kept
  });

  it('stops after one retry when the clocks are far apart', async () => {
    const c = client({ now: () => clientNow }, MAIN, clock.url);
    serverNow = clientNow + 10 * DAY;
    const before = expired();
    const err = await failure(c.groupMsgGetSimple({ GroupId: 'chat', ReqMsgNumber: 1 }));
    expect(err).toMatchObject({ kind: 'credentials', part: 'usersig', code: 70001 });
    expect(err.message).toMatch(/date, time and time zone/);
    expect(expired() - before).toBe(2);
  });
});

describe('network trouble is transient, never a crash', () => {
  let faulty: Emulator;
  beforeAll(async () => {
    faulty = await startEmulator({ apps: [MAIN] });
  });
  afterAll(() => faulty.close());

  it.each([
    [{ p10002: 1 }, { kind: 'transient', code: 10002 }],
    [{ p502: 1 }, { kind: 'transient', status: 502 }],
    [{ pReset: 1 }, { kind: 'transient', network: expect.stringMatching(/ECONNRESET|incomplete/) }],
    [{ pTruncated: 1 }, { kind: 'transient', network: 'bad-response' }],
    [{ pSlow: 1, slowMs: 1500 }, { kind: 'transient', network: 'timeout' }],
  ])('%j → %j', async (faults, expected) => {
    const c = client({ timeoutMs: 300 }, MAIN, faulty.url);
    faulty.setFaults(faults);
    try {
      const err = await failure(c.groupMsgGetSimple({ GroupId: 'chat', ReqMsgNumber: 2 }));
      expect(err).toMatchObject(expected);
    } finally {
      faulty.setFaults({});
    }
    // The pool recovers: the same client works on the next call.
    expect((await c.groupMsgGetSimple({ GroupId: 'chat', ReqMsgNumber: 2 })).RspMsgList.length).toBeGreaterThan(0);
  });
});

describe('the wire, seen by a server that is not Tencent', () => {
  const requests: { url: URL; body: string; socket: number | undefined }[] = [];
  let answer: (res: ServerResponse) => void = (res) => res.end('{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}');
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ url: new URL(req.url!, 'http://x'), body: Buffer.concat(chunks).toString(), socket: req.socket.remotePort });
      answer(res);
    });
  });
  let base = '';
  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends {} for an empty body, a fresh random each time, contenttype=json, on one pooled connection', async () => {
    const c = client({}, MAIN, base);
    requests.length = 0;
    await c.call(SERVICES.getAppidGroupList);
    await c.getAppidGroupList({ Limit: 5, Next: '144115188075855889' });
    await c.call(SERVICES.portraitGet, { To_Account: ['a'] });
    expect(requests.map((r) => r.body)).toEqual(['{}', '{"Limit":5,"Next":144115188075855889}', '{"To_Account":["a"]}']);
    expect(requests.map((r) => r.url.pathname)).toEqual([
      `/prefix/${SERVICES.getAppidGroupList}`,
      `/prefix/${SERVICES.getAppidGroupList}`,
      `/prefix/${SERVICES.portraitGet}`,
    ]);
    for (const { url } of requests) {
      expect(url.searchParams.get('sdkappid')).toBe(String(MAIN.sdkAppId));
      expect(url.searchParams.get('identifier')).toBe('admin');
      expect(url.searchParams.get('contenttype')).toBe('json');
      expect(url.searchParams.get('usersig')).toMatch(/^eJ[A-Za-z0-9*_-]+$/);
      expect(url.searchParams.get('random')).toMatch(/^\d{1,10}$/);
      expect(Number(url.searchParams.get('random'))).toBeLessThanOrEqual(4294967295);
    }
    expect(new Set(requests.map((r) => r.url.searchParams.get('random'))).size).toBe(3);
    expect(new Set(requests.map((r) => r.socket)).size).toBe(1);
  });

  it.each([
    ['404 from a proxy', (res: ServerResponse) => res.writeHead(404).end('<h1>Not Found</h1>'), { kind: 'unknown', status: 404 }],
    ['503', (res: ServerResponse) => res.writeHead(503).end(), { kind: 'transient', status: 503 }],
    ['HTML with 200', (res: ServerResponse) => res.end('<html>captive portal</html>'), { kind: 'unknown', messageId: 'web-page' }],
    ['a web page with a BOM and a doctype', (res: ServerResponse) => res.end('\ufeff\n  <!DOCTYPE html><title>Sign in</title>'), { kind: 'unknown', messageId: 'web-page' }],
    ['cut-short JSON', (res: ServerResponse) => res.end('{"ActionStatus":"OK","Err'), { kind: 'transient', network: 'bad-response' }],
    ['invalid UTF-8', (res: ServerResponse) => res.end(Buffer.from([0x7b, 0xff, 0x7d])), { kind: 'transient', network: 'bad-response' }],
    ['JSON without an envelope', (res: ServerResponse) => res.end('{"hello":"world"}'), { kind: 'unknown', messageId: 'not-tencent' }],
    ['a JSON array', (res: ServerResponse) => res.end('[]'), { kind: 'unknown', messageId: 'not-tencent' }],
    ['OK with an ErrorCode', (res: ServerResponse) => res.end('{"ActionStatus":"OK","ErrorCode":60007,"ErrorInfo":""}'), { kind: 'rate-limited', code: 60007 }],
  ])('%s', async (_name, respond, expected) => {
    answer = respond;
    expect(await failure(client({}, MAIN, base).call(SERVICES.getGroupInfo, { GroupIdList: ['g'] }))).toMatchObject(expected);
  });

  it('says a web page is not Tencent\'s IM API, once, instead of retrying a "network hiccup"', async () => {
    answer = (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>Welcome to nginx!</body></html>');
    const err = await failure(client({}, MAIN, base).call(SERVICES.getGroupInfo, { GroupIdList: ['g'] }));
    expect(err.message).toBe(`127.0.0.1:${new URL(base).port} is not Tencent's IM API: it answered get_group_info with a web page. Check the region or base URL, and any proxy or network sign-in page in between.`);
    expect(err.message).not.toMatch(/hiccup|tried again/u);
  });

  it('stops paging when a cursor comes back twice, and refuses a malformed one', async () => {
    answer = (res) => res.end('{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","TotalCount":9,"GroupIdList":[{"GroupId":"a"}],"Next":144115188075855889}');
    const c = client({}, MAIN, base);
    const pages: string[] = [];
    const err = await failure(
      (async () => {
        for await (const page of c.groupListPages({ limit: 1 })) pages.push(page.Next);
      })(),
    );
    expect(pages).toEqual(['144115188075855889']);
    expect(err).toMatchObject({ kind: 'unknown', messageId: 'cursor-loop' });
    await expect(c.getAppidGroupList({ Next: '1.5' })).rejects.toThrow(RangeError);
  });

  it('keeps secrets out of ErrorInfo echoed back', async () => {
    answer = (res) => {
      const sig = requests.at(-1)!.url.searchParams.get('usersig');
      res.end(JSON.stringify({ ActionStatus: 'FAIL', ErrorCode: 70003, ErrorInfo: `bad sig ${sig} for key ${KEY}` }));
    };
    const err = await failure(client({}, MAIN, base).call(SERVICES.getGroupInfo, { GroupIdList: ['g'] }));
    expect(err.info).toBe('bad sig [UserSig] for key [SecretKey]');
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await failure(client({}, MAIN, `http://127.0.0.1:${port}`).call(SERVICES.getGroupInfo, { GroupIdList: ['g'] }));
    expect(err).toMatchObject({ kind: 'transient', network: 'ECONNREFUSED' });
    expect(err.message).toContain(`127.0.0.1:${port}`);
  });
});

describe('secrets', () => {
  it('never show in the client', () => {
    const c = client();
    for (const text of [inspect(c, { showHidden: true, depth: 9 }), String(c), JSON.stringify(c), inspect(c.toJSON())]) {
      expect(text).not.toContain(KEY);
      expect(text).toContain(String(MAIN.sdkAppId));
    }
  });

  // Last in the file: looks at every error the tests above collected.
  it('never show in an error message, stack or inspection', () => {
    expect(seen.length).toBeGreaterThan(25);
    for (const err of seen) {
      for (const text of [String(err), (err as Error).stack ?? '', inspect(err, { showHidden: true, depth: 9 }), JSON.stringify(err)]) {
        expect(text).not.toContain(KEY);
        expect(text).not.toContain(WRONG_KEY);
        expect(text).not.toMatch(/usersig=|eJ[wxyz][A-Za-z0-9*_-]{16}/);
      }
    }
  });
});
