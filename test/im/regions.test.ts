// Region table, endpoint parsing and the request URL of spec §1.

import { describe, expect, it } from 'vitest';
import { EndpointError, REGIONS, endpointFor, requestUrl } from '../../app/im/regions';
import { SERVICES } from '../../app/im/wire';

describe('endpointFor', () => {
  it.each([
    ['china', 'https://console.tim.qq.com', 'https://adminapi.my-imcloud.com'],
    ['singapore', 'https://adminapisgp.im.qcloud.com', 'https://adminapisgp.my-imcloud.com'],
    ['seoul', 'https://adminapikr.im.qcloud.com', 'https://adminapikr.my-imcloud.com'],
    ['frankfurt', 'https://adminapiger.im.qcloud.com', 'https://adminapiger.my-imcloud.com'],
    ['mumbai', 'https://adminapiind.im.qcloud.com', 'https://adminapiind.my-imcloud.com'],
    ['silicon-valley', 'https://adminapiusa.im.qcloud.com', 'https://adminapiusa.my-imcloud.com'],
    ['jakarta', 'https://adminapiidn.im.qcloud.com', 'https://adminapiidn.my-imcloud.com'],
  ])('%s → primary and backup domain', (region, primary, backup) => {
    expect(endpointFor(region)).toBe(primary);
    expect(endpointFor(region, 'backup')).toBe(backup);
  });

  it('has Tokyo without a backup domain', () => {
    expect(endpointFor('tokyo')).toBe('https://adminapijpn.im.qcloud.com');
    expect(() => endpointFor('tokyo', 'backup')).toThrow(/no backup domain for Tokyo/);
  });

  it('names every region in English and Chinese', () => {
    expect(REGIONS.map((r) => r.id)).toEqual(['china', 'singapore', 'seoul', 'tokyo', 'frankfurt', 'mumbai', 'silicon-valley', 'jakarta']);
    for (const r of REGIONS) {
      expect(r.name.en).toMatch(/^[A-Z]/);
      expect(r.name.zh).toMatch(/\p{Script=Han}/u);
    }
  });

  it('forgives case, spaces and underscores, and takes a bare Tencent domain', () => {
    expect(endpointFor('  Silicon Valley ')).toBe('https://adminapiusa.im.qcloud.com');
    expect(endpointFor('SILICON_VALLEY')).toBe('https://adminapiusa.im.qcloud.com');
    expect(endpointFor('adminapisgp.my-imcloud.com')).toBe('https://adminapisgp.im.qcloud.com');
  });

  it('accepts any http(s) base URL, keeping a path prefix', () => {
    expect(endpointFor('http://127.0.0.1:5080/')).toBe('http://127.0.0.1:5080');
    expect(endpointFor('https://proxy.example.com/tim//')).toBe('https://proxy.example.com/tim');
    expect(endpointFor('HTTPS://Console.TIM.qq.com')).toBe('https://console.tim.qq.com');
  });

  it.each([
    ['mars', /neither a region nor a base URL.*china, singapore/],
    ['', /neither a region nor a base URL/],
    ['ftp://example.com', /neither a region nor a base URL/],
    ['https://', /not a valid URL/],
    ['https://example.com/?a=1', /must not have/],
    ['https://example.com/#x', /must not have/],
    ['https://user:pw@example.com', /user name or password/],
  ])('rejects %j clearly', (input, message) => {
    expect(() => endpointFor(input)).toThrow(EndpointError);
    expect(() => endpointFor(input)).toThrow(message);
  });
});

describe('requestUrl', () => {
  const q = { sdkAppId: 1400000000, identifier: 'administrator', userSig: 'eJw*abc-def_', random: 4294967295 };

  it('follows the calling convention for every region', () => {
    for (const r of REGIONS) {
      expect(requestUrl(endpointFor(r.id), SERVICES.groupMsgGetSimple, q).href).toBe(
        `https://${r.primary}/v4/group_open_http_svc/group_msg_get_simple` +
          '?sdkappid=1400000000&identifier=administrator&usersig=eJw*abc-def_&random=4294967295&contenttype=json',
      );
    }
  });

  it('keeps a base URL path prefix and escapes the identifier', () => {
    const url = requestUrl(endpointFor('http://127.0.0.1:8080/tim'), SERVICES.portraitGet, { ...q, identifier: '管理员 &=?', random: 0 });
    expect(url.pathname).toBe('/tim/v4/profile/portrait_get');
    expect(url.searchParams.get('identifier')).toBe('管理员 &=?');
    expect(url.searchParams.get('usersig')).toBe(q.userSig);
    expect([...url.searchParams.keys()]).toEqual(['sdkappid', 'identifier', 'usersig', 'random', 'contenttype']);
  });
});
