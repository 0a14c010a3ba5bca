// Request checks, one code each, in Tencent's order: method/URL → body → SDKAppID → UserSig → admin.

import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmac, verifyUserSig } from './usersig';
import { type Creds, rawCall, tencentSig } from './raw-call';
import { type Emulator, startEmulator } from './index';

const KEY = 'checks-secret-key-中文';
const A: Creds = { sdkAppId: 1400000201, identifier: 'admin', secretKey: KEY };
const SAME_KEY_APP: Creds = { sdkAppId: 1400000202, identifier: 'admin', secretKey: KEY };
const DISABLED: Creds = { sdkAppId: 1400000203, identifier: 'admin', secretKey: 'k3' };
// Tencent's known vector (spec §2).
const VECTOR: Creds = { sdkAppId: 1400000000, identifier: 'xiaojun', secretKey: '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e' };
const VECTOR_TIME = 1700000000;
const VECTOR_SIG = 'LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=';

/** Seconds added to the wall clock by the emulator's `now`. */
let skew = 0;
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({
    apps: [
      { sdkAppId: A.sdkAppId, secretKey: KEY, admins: ['admin', 'admin2'], groups: [] },
      { sdkAppId: SAME_KEY_APP.sdkAppId, secretKey: KEY, admins: ['admin'], groups: [] },
      { sdkAppId: DISABLED.sdkAppId, secretKey: 'k3', admins: ['admin'], groups: [], disabled: true },
      { sdkAppId: VECTOR.sdkAppId, secretKey: VECTOR.secretKey, admins: ['xiaojun'], groups: [] },
    ],
    now: () => Math.floor(Date.now() / 1000) + skew,
  });
});
afterAll(() => emu.close());

/** Packs a sig document the way TLSSigAPIv2 does (any zlib level, URL-safe alphabet). */
function pack(doc: unknown, level = 6): string {
  const raw = typeof doc === 'string' ? Buffer.from(doc) : Buffer.from(JSON.stringify(doc));
  return deflateSync(raw, { level }).toString('base64').replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}

async function code(c: Creds, opts: Parameters<typeof rawCall>[4] = {}, body: unknown = {}): Promise<number> {
  const r = await rawCall(emu.url, 'get_group_info', body, c, opts);
  expect(r.status).toBe(200);
  expect(r.json['ActionStatus']).toBe(r.json['ErrorCode'] === 0 ? 'OK' : 'FAIL');
  expect(typeof r.json['ErrorInfo']).toBe('string');
  return r.json['ErrorCode'] as number;
}

const OK_BODY = { GroupIdList: ['nothing-here'] };

describe('URL and method (60002)', () => {
  it('accepts a well-formed request signed by Tencent’s own library', async () => {
    expect(await code(A, {}, OK_BODY)).toBe(0);
  });

  it('answers 60002 to anything but POST and to unknown commands', async () => {
    expect(await code(A, { method: 'GET' })).toBe(60002);
    expect(await code(A, { method: 'PUT' }, OK_BODY)).toBe(60002);
    expect(await code(A, { path: 'v4/group_open_http_svc/no_such_command' }, OK_BODY)).toBe(60002);
    expect(await code(A, { path: 'v4/profile/portrait_get/extra' }, OK_BODY)).toBe(60002);
  });

  it.each(['sdkappid', 'identifier', 'usersig', 'random', 'contenttype'])('answers 60002 when %s is missing', async (name) => {
    expect(await code(A, { query: { [name]: undefined } }, OK_BODY)).toBe(60002);
  });

  it('checks random (uint32) and contenttype=json, and rejects repeated parameters', async () => {
    for (const random of ['abc', '-1', '4294967296', '1.5', '', '0x10']) expect(await code(A, { query: { random } }, OK_BODY), random).toBe(60002);
    for (const random of ['0', '4294967295']) expect(await code(A, { query: { random } }, OK_BODY), random).toBe(0);
    expect(await code(A, { query: { contenttype: 'xml' } }, OK_BODY)).toBe(60002);
    expect(await code(A, { query: { contenttype: 'JSON' } }, OK_BODY)).toBe(60002);
    expect(await code(A, { query: { identifier: '' } }, OK_BODY)).toBe(60002);
    const q = `sdkappid=${A.sdkAppId}&identifier=admin&usersig=${tencentSig(A)}&random=1&random=2&contenttype=json`;
    const r = await fetch(`${emu.url}/v4/group_open_http_svc/get_group_info?${q}`, { method: 'POST', body: JSON.stringify(OK_BODY) });
    expect(((await r.json()) as { ErrorCode: number }).ErrorCode).toBe(60002);
  });
});

describe('body (60003)', () => {
  it('requires a JSON object: an empty body, invalid JSON or a non-object is 60003', async () => {
    for (const rawBody of ['', '  ', 'not json', '{"a":', '[]', '1', 'null', '"{}"']) {
      expect(await code(A, { rawBody }), JSON.stringify(rawBody)).toBe(60003);
    }
    expect(await code(A, { rawBody: '{}' })).not.toBe(60003);
  });

  it('checks the body before the SDKAppID and the UserSig', async () => {
    expect(await code({ ...A, sdkAppId: 1 }, { rawBody: '' })).toBe(60003);
    expect(await code({ ...A, secretKey: 'wrong' }, { rawBody: '' })).toBe(60003);
  });
});

describe('SDKAppID', () => {
  it('answers 60006 for a malformed one, 70020 for an unknown one, 60016 for a disabled app', async () => {
    expect(await code(A, { query: { sdkappid: 'abc' } }, OK_BODY)).toBe(60006);
    expect(await code(A, { query: { sdkappid: '01400000201' } }, OK_BODY)).toBe(60006);
    expect(await code({ ...A, sdkAppId: 1400009999 }, {}, OK_BODY)).toBe(70020);
    expect(await code(DISABLED, {}, OK_BODY)).toBe(60016);
  });
});

describe('UserSig', () => {
  it('70002 empty', async () => {
    expect(await code(A, { query: { usersig: '' } }, OK_BODY)).toBe(70002);
  });

  it('70003 not base64 or not zlib, 70005 not the expected JSON', async () => {
    expect(await code(A, { query: { usersig: 'abc!def' } }, OK_BODY)).toBe(70003);
    expect(await code(A, { query: { usersig: Buffer.from('plain text').toString('base64') } }, OK_BODY)).toBe(70003);
    expect(await code(A, { query: { usersig: pack('this is not json') } }, OK_BODY)).toBe(70005);
    const good = { 'TLS.ver': '2.0', 'TLS.identifier': 'admin', 'TLS.sdkappid': A.sdkAppId, 'TLS.time': 1, 'TLS.expire': 1, 'TLS.sig': 'x' };
    for (const k of Object.keys(good)) {
      const doc: Record<string, unknown> = { ...good };
      delete doc[k];
      expect(await code(A, { query: { usersig: pack(doc) } }, OK_BODY), k).toBe(70005);
    }
    expect(await code(A, { query: { usersig: pack({ ...good, 'TLS.sdkappid': String(A.sdkAppId) }) } }, OK_BODY)).toBe(70005);
  });

  it('70009 when signed with another SecretKey', async () => {
    expect(await code(A, { query: { usersig: tencentSig({ ...A, secretKey: 'not-the-key' }) } }, OK_BODY)).toBe(70009);
  });

  it('70013 when the sig is for another identifier, 70014 for another SDKAppID', async () => {
    expect(await code(A, { query: { usersig: tencentSig({ ...A, identifier: 'admin2' }) } }, OK_BODY)).toBe(70013);
    // Same SecretKey on both apps, so the HMAC matches and only the SDKAppID differs.
    expect(await code(A, { query: { usersig: tencentSig(SAME_KEY_APP) } }, OK_BODY)).toBe(70014);
  });

  it('70001 when now > time + expire, and not one second earlier', async () => {
    const sig = tencentSig(A, 100);
    try {
      skew = 90;
      expect(await code(A, { query: { usersig: sig } }, OK_BODY)).toBe(0);
      skew = 200;
      expect(await code(A, { query: { usersig: sig } }, OK_BODY)).toBe(70001);
    } finally {
      skew = 0;
    }
  });

  it('checks the UserSig before the admin rule: 60010 only for a valid sig of a non-admin', async () => {
    expect(await code({ ...A, identifier: 'someone' }, {}, OK_BODY)).toBe(60010);
    expect(await code({ ...A, identifier: 'someone', secretKey: 'wrong' }, {}, OK_BODY)).toBe(70009);
  });

  it('reproduces Tencent’s known vector and accepts any key order and zlib level', async () => {
    const fields = { identifier: VECTOR.identifier, sdkAppId: VECTOR.sdkAppId, time: VECTOR_TIME, expire: 15552000 };
    expect(hmac(VECTOR.secretKey, fields).toString('base64')).toBe(VECTOR_SIG);
    // Key order as in Tencent's Go library, stored uncompressed (level 0).
    const doc = { 'TLS.sig': VECTOR_SIG, 'TLS.expire': 15552000, 'TLS.time': VECTOR_TIME, 'TLS.sdkappid': VECTOR.sdkAppId, 'TLS.identifier': 'xiaojun', 'TLS.ver': '2.0' };
    const expectation = { sdkAppId: VECTOR.sdkAppId, identifier: 'xiaojun', secretKey: VECTOR.secretKey, now: VECTOR_TIME + 10 };
    expect(() => verifyUserSig(pack(doc, 0), expectation)).not.toThrow();
    expect(() => verifyUserSig(pack({ ...doc, 'TLS.expire': 15552001 }, 9), expectation)).toThrow(/SecretKey/);
    skew = VECTOR_TIME - Math.floor(Date.now() / 1000);
    try {
      expect(await code(VECTOR, { query: { usersig: pack(doc, 0) } }, OK_BODY)).toBe(0);
    } finally {
      skew = 0;
    }
  });
});
