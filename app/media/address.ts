// Where a media URL may lead. URLs come from chat content, so a message could point the downloader at the
// user's router, a cloud metadata service or a port on their own machine. Only http(s) is fetched, and the host
// is resolved here and every address it resolves to checked, so that a name cannot lead somewhere a literal
// address would not be allowed (the connection then uses the address that was checked).

import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

const RANGES: readonly (readonly [AddressClass, string, number, 'ipv4' | 'ipv6'])[] = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  // Carrier-grade NAT: not on the internet either.
  ['private', '100.64.0.0', 10, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', 'fc00::', 7, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['multicast', 'ff00::', 8, 'ipv6'],
];
const LISTS = new Map<AddressClass, BlockList>();
for (const [cls, net, prefix, family] of RANGES) {
  let list = LISTS.get(cls);
  if (!list) LISTS.set(cls, (list = new BlockList()));
  list.addSubnet(net, prefix, family);
}

/** What kind of address this is (BlockList checks an IPv4 address mapped into IPv6 against the IPv4 ranges). */
export function classify(address: string): AddressClass {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  for (const [cls, list] of LISTS) if (list.check(address, family)) return cls;
  return 'public';
}

/** Why the downloader will not connect here, or undefined. Loopback only when the API itself is on loopback. */
export function refusal(address: string, allowLoopback: boolean): string | undefined {
  const cls = classify(address);
  if (cls === 'public' || (cls === 'loopback' && allowLoopback)) return undefined;
  return `${address} is ${cls === "unspecified" ? "an" : "a"} ${cls} address`;
}

/** Thrown for a URL the downloader refuses to fetch; `code` is a MediaErrorCode. */
export class RefusedUrl extends Error {
  constructor(
    readonly code: 'refused-scheme' | 'refused-address' | 'refused-url',
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

/** A URL's host as a name or a bare address (URL keeps an IPv6 address in brackets). */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/u, '$1');
}

/** The one address to connect to for this URL's host, after checking every address the name resolves to. */
export async function checkedAddress(url: URL, allowLoopback: boolean, resolve = defaultResolve): Promise<{ address: string; family: 4 | 6 }> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RefusedUrl('refused-scheme', url.protocol.replace(/:$/, ''));
  if (url.username || url.password) throw new RefusedUrl('refused-url', 'the URL carries a user name or password');
  const host = bareHost(url);
  if (host === '') throw new RefusedUrl('refused-url', 'the URL has no host');
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) as 4 | 6 }] : await resolve(host);
  if (addresses.length === 0) throw new RefusedUrl('refused-address', `${host} does not resolve`);
  for (const a of addresses) {
    const why = refusal(a.address, allowLoopback);
    if (why) throw new RefusedUrl('refused-address', host === a.address ? why : `${host} resolves to ${why}`);
  }
  return addresses[0]!;
}

async function defaultResolve(host: string): Promise<{ address: string; family: 4 | 6 }[]> {
  const all = await lookup(host, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

/** Whether a URL's host is this machine: then media may come from loopback too (the emulator, the demo). */
export function isLoopbackEndpoint(endpoint: string): boolean {
  let host: string;
  try {
    host = bareHost(new URL(endpoint));
  } catch {
    return false;
  }
  return host === 'localhost' || (isIP(host) !== 0 && classify(host) === 'loopback');
}
