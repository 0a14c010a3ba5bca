// How a media download reaches its host: directly, or through the proxy the user's settings name for it (the same
// rule as the message client's: HTTPS_PROXY / HTTP_PROXY / NO_PROXY on the command line, the system's settings in
// the desktop app, app/im/proxy.ts). Either way the connection goes to the address ./address.ts checked, never to
// whatever the name resolves to later or elsewhere:
// - directly: the socket connects to the checked address;
// - HTTPS through a proxy: the CONNECT tunnel is asked for the checked address (the proxy resolves nothing), and
//   TLS inside it verifies the certificate against the host name;
// - plain HTTP through a proxy: the proxy is asked for the URL by name (an HTTP proxy routes by the URL, and
//   rewrites the Host header from it), after the name was checked here; a literal address is the address checked.
// Connections are kept alive per route, so small files do not each pay for a handshake.

import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { bareHost } from './address';
import { proxyAuthorization, proxyFor as threadProxy, type ProxyFor, TunnelAgent } from '../im/proxy';

const POOL: https.AgentOptions = { keepAlive: true };

export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

export class MediaConnections {
  private readonly direct = { http: new http.Agent(POOL), https: new https.Agent(POOL) };
  /** Per proxy: a CONNECT tunnel agent (https targets) or a plain agent to the proxy (http targets). */
  private readonly proxied = new Map<string, http.Agent>();

  constructor(private readonly proxyFor: ProxyFor = threadProxy) {}

  /** GET `url` from `to` (the address checked for its host), through the proxy the settings name, if any. */
  get(url: URL, to: CheckedAddress, options: { signal: AbortSignal; headers: http.OutgoingHttpHeaders }): http.ClientRequest {
    const secure = url.protocol === 'https:';
    const proxy = this.proxyFor(url);
    if (!proxy) {
      const lookup: LookupFunction = (_host, o, cb) => {
        if (o.all) (cb as (e: null, a: CheckedAddress[]) => void)(null, [to]);
        else cb(null, to.address, to.family);
      };
      return (secure ? https : http).get(url, { agent: secure ? this.direct.https : this.direct.http, lookup, ...options });
    }
    const host = bareHost(url);
    if (secure) {
      return https.get({
        agent: this.agent(`tunnel ${proxy.href}`, () => new TunnelAgent(proxy, POOL)),
        host: to.address,
        port: Number(url.port || 443),
        path: `${url.pathname}${url.search}`,
        // TLS checks the certificate against the name, as a direct connection would (never an address as SNI).
        ...(isIP(host) ? {} : { servername: host }),
        signal: options.signal,
        headers: { ...options.headers, host: url.host },
      });
    }
    return http.get({
      agent: this.agent(`http ${proxy.href}`, () => new http.Agent(POOL)),
      host: bareHost(proxy),
      port: Number(proxy.port || 80),
      path: url.href,
      signal: options.signal,
      headers: { ...options.headers, host: url.host, ...(proxy.username ? { 'proxy-authorization': proxyAuthorization(proxy) } : {}) },
    });
  }

  /** Closes every kept-alive connection. */
  close(): void {
    this.direct.http.destroy();
    this.direct.https.destroy();
    for (const a of this.proxied.values()) a.destroy();
  }

  private agent(key: string, make: () => http.Agent): http.Agent {
    let a = this.proxied.get(key);
    if (!a) this.proxied.set(key, (a = make()));
    return a;
  }
}
