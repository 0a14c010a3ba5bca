// Our TLSSigAPIv2 against Tencent's own npm package (tls-sig-api-v2) with its clock pinned, and the cache's
// renewal rule.

import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserSigCache, genUserSig } from '../../app/im/usersig';

interface TencentApi {
  genSig(identifier: string, expire: number): string;
}
const { Api } = createRequire(import.meta.url)('tls-sig-api-v2') as { Api: new (sdkAppId: number, key: string) => TencentApi };

function decode(userSig: string): Record<string, unknown> {
  const b64 = userSig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
  return JSON.parse(inflateSync(Buffer.from(b64, 'base64')).toString('utf8')) as Record<string, unknown>;
}

function tencentSig(sdkAppId: number, key: string, identifier: string, expire: number, time: number): string {
  // Tencent's genSig reads Date.now(); pin it inside the second `time` (not on its edge).
  vi.spyOn(Date, 'now').mockReturnValue(time * 1000 + 731);
  try {
    return new Api(sdkAppId, key).genSig(identifier, expire);
  } finally {
    vi.restoreAllMocks();
  }
}

const HEX_KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';

describe('genUserSig', () => {
  afterEach(() => vi.restoreAllMocks());

  it("reproduces the spec's known vector", () => {
    const doc = decode(genUserSig({ sdkAppId: 1400000000, secretKey: HEX_KEY, identifier: 'xiaojun', time: 1700000000, expire: 15552000 }));
    expect(doc).toEqual({
      'TLS.ver': '2.0',
      'TLS.identifier': 'xiaojun',
      'TLS.sdkappid': 1400000000,
      'TLS.time': 1700000000,
      'TLS.expire': 15552000,
      'TLS.sig': 'LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=',
    });
  });

  const cases = [
    { sdkAppId: 1400000000, key: HEX_KEY, identifier: 'administrator', expire: 86400, time: 1700000000 },
    { sdkAppId: 20000001, key: 'short', identifier: 'xiaojun', expire: 1, time: 1 },
    { sdkAppId: 4294967295, key: '密钥🔑ключ-clé', identifier: '管理员', expire: 15552000, time: 2147483648 },
    { sdkAppId: 1600000123, key: HEX_KEY.toUpperCase(), identifier: 'ops_😀-1 "quoted" \\ back', expire: 604800, time: 4102444800 },
    { sdkAppId: 1400000001, key: ' spaced key ', identifier: 'Ünïcödé', expire: 3600, time: 1735689599 },
  ];

  it.each(cases)('equals tls-sig-api-v2 for $identifier at $time', ({ sdkAppId, key, identifier, expire, time }) => {
    const ours = decode(genUserSig({ sdkAppId, secretKey: key, identifier, expire, time }));
    const theirs = decode(tencentSig(sdkAppId, key, identifier, expire, time));
    expect(ours).toEqual(theirs);
    expect(Buffer.from(ours['TLS.sig'] as string, 'base64')).toEqual(Buffer.from(theirs['TLS.sig'] as string, 'base64'));
    expect(ours['TLS.time']).toBe(time);
  });

  it('depends on every input', () => {
    const base = { sdkAppId: 1400000000, secretKey: HEX_KEY, identifier: 'admin', expire: 86400, time: 1700000000 };
    const sigOf = (p: typeof base) => decode(genUserSig(p))['TLS.sig'];
    const variants = [
      { ...base, secretKey: `${HEX_KEY}0` },
      { ...base, sdkAppId: 1400000001 },
      { ...base, identifier: 'admin2' },
      { ...base, expire: 86401 },
      { ...base, time: 1700000001 },
    ];
    const sigs = new Set([base, ...variants].map(sigOf));
    expect(sigs.size).toBe(variants.length + 1);
  });

  it('needs no URL escaping', () => {
    for (const c of cases) {
      expect(genUserSig({ sdkAppId: c.sdkAppId, secretKey: c.key, identifier: c.identifier, expire: c.expire, time: c.time })).toMatch(/^[A-Za-z0-9*_-]+$/);
    }
  });

  it('refuses a non-integer SDKAppID, expire or time', () => {
    const ok = { sdkAppId: 1400000000, secretKey: 'k', identifier: 'a', expire: 60, time: 1 };
    expect(() => genUserSig({ ...ok, sdkAppId: 0 })).toThrow(RangeError);
    expect(() => genUserSig({ ...ok, expire: 1.5 })).toThrow(/expire/);
    expect(() => genUserSig({ ...ok, time: -1 })).toThrow(/time/);
  });
});

describe('UserSigCache', () => {
  function cache(expire: number) {
    let clock = 1_700_000_000;
    const sigs = new UserSigCache({ sdkAppId: 1400000000, secretKey: HEX_KEY, identifier: 'admin', expire, now: () => clock });
    const timeOf = (sig: string) => decode(sig)['TLS.time'];
    return { sigs, timeOf, set: (t: number) => (clock = t), start: clock };
  }

  it('reuses a sig until an hour of a long life remains, then renews', () => {
    const { sigs, timeOf, set, start } = cache(86400);
    const first = sigs.get();
    expect(timeOf(first)).toBe(start);
    set(start + 86400 - 3601);
    expect(sigs.get()).toBe(first);
    set(start + 86400 - 3599);
    const second = sigs.get();
    expect(timeOf(second)).toBe(start + 86400 - 3599);
    expect(sigs.get()).toBe(second);
  });

  it('renews a short-lived sig when less than 10% of its life remains', () => {
    const { sigs, timeOf, set, start } = cache(100);
    const first = sigs.get();
    set(start + 89);
    expect(sigs.get()).toBe(first);
    set(start + 91);
    expect(timeOf(sigs.get())).toBe(start + 91);
  });

  it('renews on demand once per rejected sig', () => {
    const { sigs, timeOf, set, start } = cache(86400);
    const first = sigs.get();
    set(start + 10);
    const renewed = sigs.renew(first);
    expect(renewed).not.toBe(first);
    expect(timeOf(renewed)).toBe(start + 10);
    set(start + 20);
    // A second request that failed with the old sig gets the renewed one, not a third.
    expect(sigs.renew(first)).toBe(renewed);
    expect(sigs.get()).toBe(renewed);
  });
});
