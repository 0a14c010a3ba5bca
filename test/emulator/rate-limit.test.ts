// The per-app, per-API rate limit: a strict one-second sliding window over arrival times, in which rejected
// calls count too. The window's clock is frozen and moved by hand, so the assertions hold on a busy machine.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Creds, rawCall } from './raw-call';
import { type AppSpec, type Emulator, startEmulator } from './index';

const KEY = 'rate-key';
const app = (n: number): Creds => ({ sdkAppId: 1400000300 + n, identifier: 'admin', secretKey: KEY });
const DEFAULTS = app(1);
const SLIDING = app(2);
const HAMMER = app(3);
const ALT_CODE = app(4);
const TIGHT_LIMIT = 10;
const spec = (c: Creds, extra: Partial<AppSpec> = {}): AppSpec => ({
  sdkAppId: c.sdkAppId, secretKey: KEY, admins: ['admin'], groups: [{ groupId: 'g', messages: 30, seed: 1 }], ...extra,
});

/** The window clock, in ms; a multiple of 1000 is the start of a wall-clock second. */
let clock = 0;
let emu: Emulator;
beforeAll(async () => {
  const tight = { rateLimits: { group_msg_get_simple: TIGHT_LIMIT } };
  emu = await startEmulator({
    apps: [spec(DEFAULTS), spec(SLIDING, tight), spec(HAMMER, tight), spec(ALT_CODE, { rateLimits: { get_group_info: 3 }, rateLimitCode: 10006 })],
    clockMs: () => clock,
  });
});
afterAll(() => emu.close());

const read = (c: Creds, url = emu.url) => rawCall(url, 'group_msg_get_simple', { GroupId: 'g', ReqMsgNumber: 1 }, c).then((r) => r.json['ErrorCode'] as number);
const burst = (c: Creds, n: number) => Promise.all(Array.from({ length: n }, () => read(c)));
const ok = (n: number) => Array<number>(n).fill(0);
const refused = (n: number, code = 60007) => Array<number>(n).fill(code);

describe('rate limit', () => {
  it('allows 200 group_msg_get_simple calls in a second and answers 60007 to the 201st', async () => {
    clock = 10_000;
    expect(await burst(DEFAULTS, 200)).toEqual(ok(200));
    expect(await read(DEFAULTS)).toBe(60007);
    clock = 10_999;
    expect(await read(DEFAULTS)).toBe(60007);
    // Other APIs of the same app have their own allowance.
    expect((await rawCall(emu.url, 'get_group_info', { GroupIdList: ['g'] }, DEFAULTS)).json['ErrorCode']).toBe(0);
    clock = 11_000;
    expect(await read(DEFAULTS)).toBe(0);
  });

  it('slides: a window across a second boundary is still one window', async () => {
    clock = 20_850;
    expect(await burst(SLIDING, TIGHT_LIMIT)).toEqual(ok(TIGHT_LIMIT));
    // 200 ms later, in the next wall-clock second: a per-second bucket would allow this call; the window does not.
    clock = 21_050;
    expect(await read(SLIDING)).toBe(60007);
    clock = 21_849;
    expect(await read(SLIDING)).toBe(60007);
    clock = 21_850;
    expect(await read(SLIDING)).toBe(0);
  });

  it('counts rejected calls: a client that keeps hammering stays limited', async () => {
    clock = 30_000;
    expect(await burst(HAMMER, TIGHT_LIMIT)).toEqual(ok(TIGHT_LIMIT));
    clock = 30_300;
    expect(await burst(HAMMER, 5)).toEqual(refused(5));
    // The accepted burst has left the window, the 5 rejected calls have not: 5 + 6 > 10, so one of 6 is refused.
    clock = 31_050;
    const codes = await burst(HAMMER, 6);
    expect(codes.filter((c) => c === 60007)).toHaveLength(1);
    clock = 31_300;
    expect(await burst(HAMMER, 4)).toEqual(ok(4));
  });

  it('answers the configured code (10006), per API', async () => {
    clock = 40_000;
    const info = () => rawCall(emu.url, 'get_group_info', { GroupIdList: ['g'] }, ALT_CODE).then((r) => r.json['ErrorCode'] as number);
    expect(await Promise.all([info(), info(), info()])).toEqual(ok(3));
    expect(await info()).toBe(10006);
    expect(await read(ALT_CODE)).toBe(0);
  });

  it('counts the peak per sliding second', async () => {
    emu.resetCounters();
    clock = 50_000;
    await burst(ALT_CODE, 7);
    clock = 50_999;
    await burst(ALT_CODE, 3);
    clock = 51_500;
    await burst(ALT_CODE, 2);
    expect(emu.counters().apis.group_msg_get_simple?.peakPerSecond).toBe(10);
  });

  it('limits get_appid_group_list to 1 call per second on the real clock', async () => {
    const real = await startEmulator({ apps: [spec(DEFAULTS)] });
    try {
      const list = () => rawCall(real.url, 'get_appid_group_list', {}, DEFAULTS).then((r) => r.json['ErrorCode']);
      expect(await list()).toBe(0);
      expect(await list()).toBe(60007);
      await new Promise((r) => setTimeout(r, 1050));
      expect(await list()).toBe(0);
    } finally {
      await real.close();
    }
  });
});
