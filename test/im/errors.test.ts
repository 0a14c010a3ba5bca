// The classification table of spec §3 and the messages a community manager reads.

import { describe, expect, it } from 'vitest';
import { ImError, classify } from '../../app/im/errors';
import { MESSAGES_EN } from '../../app/im/messages';
import { SERVICES } from '../../app/im/wire';

describe('classify', () => {
  it.each([
    [[60007, 60011, 60018, 60019, 10006], { kind: 'rate-limited' }],
    [[10002, 60008], { kind: 'transient' }],
    [[70001, 70002, 70013, 70014, 70052], { kind: 'credentials', part: 'usersig' }],
    [[70003, 70005, 70009, 70016], { kind: 'credentials', part: 'key' }],
    [[60006, 70020], { kind: 'credentials', part: 'sdkappid' }],
    [[60010, 70403], { kind: 'credentials', part: 'identifier-not-admin' }],
    [[60016, 60017, 60020, 10026], { kind: 'credentials', part: 'app-disabled' }],
    [[10004, 60002, 60003], { kind: 'invalid-request' }],
    [[10007], { kind: 'group', reason: 'no-history' }],
    [[10010], { kind: 'group', reason: 'not-found' }],
    [[10015], { kind: 'group', reason: 'invalid-id' }],
    [[10018], { kind: 'too-large' }],
    [[0, 1, 20001, 99999], { kind: 'unknown' }],
  ] as const)('%j → %j', (codes, expected) => {
    for (const code of codes) {
      const { kind, part, reason } = classify(code);
      expect({ kind, ...(part ? { part } : {}), ...(reason ? { reason } : {}) }).toEqual(expected);
    }
  });
});

describe('ImError', () => {
  const path = SERVICES.groupMsgGetSimple;

  it('carries code, path, ErrorInfo and a message that says what to do', () => {
    const e = ImError.fromCode(10004, 'ReqMsgNumber must be an integer from 1 to 20', path);
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ name: 'ImError', kind: 'invalid-request', code: 10004, path, info: 'ReqMsgNumber must be an integer from 1 to 20' });
    expect(e.message).toMatch(/the group_msg_get_simple request as invalid \(10004\)\. Tencent said: "ReqMsgNumber must be an integer from 1 to 20"\. .*report it/);
    const key = ImError.fromCode(70009, 'sig check failed', path, { sdkAppId: 1400000000 });
    expect(key.message).toMatch(/SecretKey does not belong to SDKAppID 1400000000.*IM console/);
    const admin = ImError.fromCode(60010, '', path, { identifier: 'bob', sdkAppId: 1 });
    expect(admin.message).toMatch(/"bob" is not an App admin of SDKAppID 1 \(60010\)/);
    expect(ImError.fromCode(10010, '', path).message).toMatch(/does not exist or was dismissed \(10010\)/);
  });

  it('classifies HTTP statuses and network failures', () => {
    expect(ImError.http(502, path, { host: 'h:1' })).toMatchObject({ kind: 'transient', status: 502, code: undefined });
    expect(ImError.http(503, path).kind).toBe('transient');
    expect(ImError.http(408, path).kind).toBe('transient');
    expect(ImError.http(429, path).kind).toBe('rate-limited');
    const notFound = ImError.http(404, path, { host: 'proxy:8080' });
    expect(notFound.kind).toBe('unknown');
    expect(notFound.message).toMatch(/proxy:8080 answered group_msg_get_simple with HTTP 404 .*region or base URL/);
    const reset = ImError.network('ECONNRESET', path, { host: 'h' });
    expect(reset).toMatchObject({ kind: 'transient', network: 'ECONNRESET' });
    expect(reset.message).toMatch(/connection to h failed \(ECONNRESET\) during group_msg_get_simple/);
    expect(ImError.network('timeout', path, { host: 'h', timeoutMs: 10_000 }).message).toMatch(/did not answer group_msg_get_simple within 10 s/);
    expect(ImError.badResponse(path)).toMatchObject({ kind: 'transient', network: 'bad-response' });
    expect(ImError.protocol('not-tencent', path).kind).toBe('unknown');
  });

  it('renders every message id in English and in Chinese, and says in both whether the request is tried again', () => {
    for (const render of Object.values(MESSAGES_EN)) {
      expect(render({ api: 'x', code: 1, status: 500, network: 'E', info: 'i', host: 'h', sdkAppId: 1, identifier: 'a', timeoutMs: 1000 })).toMatch(/\S{3}/);
    }
    const busy = ImError.http(502, path, { host: 'proxy:8080' });
    expect(busy.message).toBe('proxy:8080 answered group_msg_get_simple with HTTP 502. This is usually temporary. The request is tried again.');
    expect(busy.said['zh-CN']).toBe('proxy:8080 对 group_msg_get_simple 返回了 HTTP 502。这通常是暂时的。会自动重试。');
    const refused = ImError.network('ECONNREFUSED', path, { host: '127.0.0.1:9' });
    expect(refused.gaveUp(6)).toEqual({
      en: 'The connection to 127.0.0.1:9 failed (ECONNREFUSED) during group_msg_get_simple. Check the internet connection. Gave up after 6 attempts.',
      'zh-CN': '调用 group_msg_get_simple 时与 127.0.0.1:9 的连接失败（ECONNREFUSED）。请检查网络连接。已尝试 6 次，不再重试。',
    });
    expect(ImError.fromCode(10010, '', path).said['zh-CN']).toBe('这个群组不存在或已解散（错误码 10010），已跳过。');
  });
});
