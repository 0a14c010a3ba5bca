// Which origins main asks Electron about, and when: a region's two domains, a base URL's origin, nothing for the
// emulator's http:// or an offline operation; answers kept a few minutes, then asked again (networks change);
// media hosts (unknown in advance) go as the operation's endpoint goes.
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../app/ipc/contract';
import { SystemProxy } from '../../app/electron/system-proxy';
import { ANY_ORIGIN, resolvedProxy } from '../../app/im/proxy';

function setup() {
  const asked: string[] = [];
  const sent: Record<string, string>[] = [];
  let now = 0;
  const proxy = new SystemProxy({
    resolve: async (url) => {
      asked.push(url);
      return url.includes('qq.com') ? 'PROXY proxy.corp:8080' : 'DIRECT';
    },
    send: async (byOrigin) => void sent.push(byOrigin),
    log: () => {},
    now: () => now,
  });
  const profile = (name: string, endpoint: string) => ({ name, endpoint, sdkAppId: 1, admin: 'a', rate: 10, archivePath: `/a/${name}.sqlite` }) as Profile;
  proxy.remember([profile('China', 'china'), profile('Corp', 'https://im-gateway.corp.example/tim'), profile('Demo', 'http://127.0.0.1:5080')]);
  return { proxy, asked, sent, later: (ms: number) => (now += ms) };
}

describe('the system proxy main resolves', () => {
  it('covers both of a region’s domains, or a base URL’s origin, and hands every answer to the worker', async () => {
    const { proxy, asked, sent } = setup();
    await proxy.before('startBackup', [{ profile: 'China', groups: [] }]);
    expect(asked).toEqual(['https://console.tim.qq.com/', 'https://adminapi.my-imcloud.com/']);
    await proxy.before('testConnection', [{ profile: { name: 'New', endpoint: 'https://im-gateway.corp.example/tim', sdkAppId: 1, admin: 'a', rate: 10 } }]);
    expect(asked.at(-1)).toBe('https://im-gateway.corp.example/');
    expect(sent.at(-1)).toEqual({
      'https://console.tim.qq.com': 'PROXY proxy.corp:8080',
      'https://adminapi.my-imcloud.com': 'DIRECT',
      'https://im-gateway.corp.example': 'DIRECT',
      [ANY_ORIGIN]: 'DIRECT',
    });
  });

  it('sends, for every other origin (media files), the answer of the endpoint the operation reaches', async () => {
    const { proxy, asked, sent } = setup();
    await proxy.before('startBackup', [{ profile: 'China', groups: [] }]);
    expect(sent.at(-1)?.[ANY_ORIGIN]).toBe('PROXY proxy.corp:8080');
    const rule = resolvedProxy(sent.at(-1)!);
    expect(rule(new URL('https://cos.ap-shanghai.myqcloud.com/photo.jpg'))?.href).toBe('http://proxy.corp:8080/');
    await proxy.before('startBackup', [{ profile: 'Corp', groups: [] }]);
    expect(sent.at(-1)?.[ANY_ORIGIN]).toBe('DIRECT');
    // Back to the first profile: nothing to ask again, but the media now go as its endpoint goes.
    const questions = asked.length;
    await proxy.before('startBackup', [{ profile: 'China', groups: [] }]);
    expect(asked).toHaveLength(questions);
    expect(sent.at(-1)?.[ANY_ORIGIN]).toBe('PROXY proxy.corp:8080');
    const sends = sent.length;
    await proxy.before('startBackup', [{ profile: 'China', groups: [] }]);
    expect(sent).toHaveLength(sends);
  });

  it('asks nothing for offline operations, http:// endpoints or unknown profiles', async () => {
    const { proxy, asked } = setup();
    await proxy.before('listGroups', [{ profile: 'China', source: 'archive' }]);
    await proxy.before('search', [{ profile: 'China', query: 'x' }]);
    await proxy.before('startBackup', [{ profile: 'Demo', groups: [] }]);
    await proxy.before('startBackup', [{ profile: 'Nobody', groups: [] }]);
    expect(asked).toEqual([]);
    await proxy.before('listGroups', [{ profile: 'Corp', source: 'tencent' }]);
    expect(asked).toEqual(['https://im-gateway.corp.example/']);
  });

  it('asks again after five minutes, not before', async () => {
    const { proxy, asked, later } = setup();
    await proxy.before('fetchMissing', [{ profile: 'Corp', groupId: 'g' }]);
    later(4 * 60_000);
    await proxy.before('fetchMissing', [{ profile: 'Corp', groupId: 'g' }]);
    expect(asked).toHaveLength(1);
    later(2 * 60_000);
    await proxy.before('fetchMissing', [{ profile: 'Corp', groupId: 'g' }]);
    expect(asked).toHaveLength(2);
  });
});
