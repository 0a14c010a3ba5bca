// Where an app's REST API lives (spec §1): one table of Tencent's regions with the primary domain and the backup
// one (for networks where DNS of the primary is hijacked), plus any http(s) base URL — a proxy or the emulator.

import { SaidError, type Sentences, type Tables, sayAll } from '../errors/said';

export type RegionId = 'china' | 'singapore' | 'seoul' | 'tokyo' | 'frankfurt' | 'mumbai' | 'silicon-valley' | 'jakarta';

export interface Region {
  id: RegionId;
  name: { en: string; zh: string };
  primary: string;
  /** Absent where Tencent publishes none (Tokyo). */
  backup?: string;
}

export const REGIONS: readonly Region[] = [
  { id: 'china', name: { en: 'China', zh: '中国' }, primary: 'console.tim.qq.com', backup: 'adminapi.my-imcloud.com' },
  { id: 'singapore', name: { en: 'Singapore', zh: '新加坡' }, primary: 'adminapisgp.im.qcloud.com', backup: 'adminapisgp.my-imcloud.com' },
  { id: 'seoul', name: { en: 'Seoul', zh: '韩国（首尔）' }, primary: 'adminapikr.im.qcloud.com', backup: 'adminapikr.my-imcloud.com' },
  { id: 'tokyo', name: { en: 'Tokyo', zh: '日本（东京）' }, primary: 'adminapijpn.im.qcloud.com' },
  { id: 'frankfurt', name: { en: 'Frankfurt', zh: '德国（法兰克福）' }, primary: 'adminapiger.im.qcloud.com', backup: 'adminapiger.my-imcloud.com' },
  { id: 'mumbai', name: { en: 'Mumbai', zh: '印度（孟买）' }, primary: 'adminapiind.im.qcloud.com', backup: 'adminapiind.my-imcloud.com' },
  { id: 'silicon-valley', name: { en: 'Silicon Valley', zh: '美国（硅谷）' }, primary: 'adminapiusa.im.qcloud.com', backup: 'adminapiusa.my-imcloud.com' },
  { id: 'jakarta', name: { en: 'Jakarta', zh: '印度尼西亚（雅加达）' }, primary: 'adminapiidn.im.qcloud.com', backup: 'adminapiidn.my-imcloud.com' },
];

type EndpointProblem = 'no-backup-domain' | 'neither' | 'not-a-url' | 'query' | 'user-info';

/** What an endpoint sentence quotes: what was typed (never a URL's user name or password), the region. */
interface EndpointFacts {
  got?: string;
  region?: Region;
}

const regionIds = REGIONS.map((r) => r.id);

export const ENDPOINT_EN = {
  'no-backup-domain': (f) => `Tencent publishes no backup domain for ${f.region?.name.en}; use the primary one.`,
  neither: (f) =>
    `"${f.got}" is neither a region nor a base URL. Use one of ${regionIds.join(', ')}, or a URL starting with https:// (or http:// for a local proxy or emulator).`,
  'not-a-url': (f) => `"${f.got}" is not a valid URL.`,
  query: (f) => `The base URL must not have a "?…" or "#…" part (got "${f.got}").`,
  'user-info': () => 'The base URL must not contain a user name or password.',
} satisfies Sentences<EndpointProblem, EndpointFacts>;

export const ENDPOINT_ZH = {
  'no-backup-domain': (f) => `腾讯没有为${f.region?.name.zh}提供备用域名；请使用主域名。`,
  neither: (f) =>
    `“${f.got}”既不是数据中心，也不是接口地址。请使用 ${regionIds.join('、')} 之一，或以 https:// 开头的 URL（本地代理或模拟服务可用 http://）。`,
  'not-a-url': (f) => `“${f.got}”不是有效的 URL。`,
  query: (f) => `接口地址不能带有“?…”或“#…”部分（当前为“${f.got}”）。`,
  'user-info': () => '接口地址中不能包含用户名或密码。',
} satisfies Sentences<EndpointProblem, EndpointFacts>;

const ENDPOINT: Tables<EndpointProblem, EndpointFacts> = { en: ENDPOINT_EN, 'zh-CN': ENDPOINT_ZH };

export class EndpointError extends SaidError {
  override name = 'EndpointError';
  constructor(problem: EndpointProblem, facts: EndpointFacts = {}) {
    super(sayAll(ENDPOINT, problem, facts));
  }
}

/**
 * The base URL (no trailing slash) for a region ID ("silicon-valley"; case, spaces and underscores are forgiven),
 * one of Tencent's domains, or an http(s) base URL, which may carry a path prefix (a proxy mounted under /tim).
 */
export function endpointFor(regionOrBaseUrl: string, domain: 'primary' | 'backup' = 'primary'): string {
  const input = regionOrBaseUrl.trim();
  const region = findRegion(input);
  if (region) {
    const host = domain === 'primary' ? region.primary : region.backup;
    if (!host) throw new EndpointError('no-backup-domain', { region });
    return `https://${host}`;
  }
  if (/^https?:\/\//i.test(input)) return baseUrl(input);
  throw new EndpointError('neither', { got: input });
}

function findRegion(input: string): Region | undefined {
  const key = input.toLowerCase().replace(/[\s_]+/g, '-');
  return REGIONS.find((r) => r.id === key || r.primary === key || r.backup === key);
}

function baseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new EndpointError('not-a-url', { got: input });
  }
  // The request URL gets its own query; credentials in the URL would travel (and be logged) with every request.
  if (url.search || url.hash) throw new EndpointError('query', { got: input });
  if (url.username || url.password) throw new EndpointError('user-info');
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** The full request URL of spec §1. It holds the UserSig: never log it or put it in an error. */
export function requestUrl(
  endpoint: string,
  service: string,
  q: { sdkAppId: number; identifier: string; userSig: string; random: number },
): URL {
  const query = new URLSearchParams({
    sdkappid: String(q.sdkAppId),
    identifier: q.identifier,
    usersig: q.userSig,
    random: String(q.random),
    contenttype: 'json',
  });
  return new URL(`${endpoint}/${service}?${query}`);
}
