// Reaching Tencent from behind a corporate proxy or a TLS-inspecting firewall.
//
// - Which proxy: the command line reads HTTPS_PROXY / NO_PROXY (and their lower-case forms), as curl does; the
//   desktop app's worker uses what Electron resolved for each endpoint from the system settings, PAC scripts
//   included (the main process asks, the worker cannot: app/electron/app.ts), set here with useProxy().
// - How: an HTTPS request through a proxy is a TLS connection inside an HTTP CONNECT tunnel (TunnelAgent), so the
//   proxy sees only the host name, never the request (which carries the UserSig).
// - Which certificates: Node's own roots, NODE_EXTRA_CA_CERTS (read by Node at start), and the operating
//   system's trusted roots (trustSystemCertificates), where a TLS-inspecting firewall's root is installed.
//
// Plain http:// endpoints (the local emulator, a proxy of your own on the LAN) are always reached directly.

import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { SaidError, type Sentences, type Tables, sayAll } from '../errors/said';

/** The proxy to reach a URL through, or undefined to connect directly. */
export type ProxyFor = (target: URL) => URL | undefined;

/**
 * HTTPS_PROXY, http_proxy and NO_PROXY, by curl's rules: https targets through HTTPS_PROXY, plain http targets (media
 * files only: the message client reaches http endpoints directly) through http_proxy, lower case only as curl reads
 * it; a NO_PROXY entry matches the host and its subdomains, `*` all.
 */
export function envProxy(env: NodeJS.ProcessEnv = process.env): ProxyFor {
  const secure = env.HTTPS_PROXY || env.https_proxy;
  const plain = env.http_proxy;
  const proxies: Readonly<Record<string, URL | undefined>> = {
    'https:': secure ? proxyUrl(secure, 'HTTPS_PROXY') : undefined,
    'http:': plain ? proxyUrl(plain, 'http_proxy') : undefined,
  };
  const bypass = (env.NO_PROXY || env.no_proxy || '')
    .split(/[\s,]+/u)
    .filter(Boolean)
    .map((e) => e.toLowerCase());
  return (target) => {
    const proxy = proxies[target.protocol];
    return proxy && !bypassed(target, bypass) ? proxy : undefined;
  };
}

function proxyUrl(raw: string, variable = 'the settings'): URL {
  let url: URL;
  try {
    // "host:port" without a scheme is common in these variables.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//iu.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new ProxyConfigError('not-a-url', { variable });
  }
  if (url.protocol !== 'http:') throw new ProxyConfigError('not-http', { proxy: `${url.protocol}//${url.host}` });
  return url;
}

function bypassed(target: URL, bypass: string[]): boolean {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/gu, '');
  const port = target.port || (target.protocol === 'http:' ? '80' : '443');
  return bypass.some((entry) => {
    if (entry === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/u.exec(entry)!;
    const name = m[1]!.replace(/^\*?\./u, '').replace(/^\[|\]$/gu, '');
    if (m[2] !== undefined && m[2] !== port) return false;
    return host === name || host.endsWith(`.${name}`);
  });
}

/**
 * What Electron's session.resolveProxy answered per origin ("PROXY host:port; DIRECT", PAC syntax). The first
 * PROXY entry is used; DIRECT, or SOCKS/HTTPS proxies (which the tunnel does not speak), mean a direct connection.
 * An origin main did not resolve (a media file's host: main cannot know them in advance) takes the answer for
 * ANY_ORIGIN, the one main resolved for the endpoint the operation reaches.
 */
export function resolvedProxy(byOrigin: Readonly<Record<string, string>>): ProxyFor {
  return (target) => {
    const answer = byOrigin[target.origin] ?? byOrigin[ANY_ORIGIN];
    const first = answer?.split(';').map((s) => s.trim()).find((s) => /^(PROXY|DIRECT|HTTPS|SOCKS\d?)\b/iu.test(s));
    const m = first && /^PROXY\s+(\S+)$/iu.exec(first);
    return m ? proxyUrl(m[1]!) : undefined;
  };
}

type ProxyProblem = 'not-a-url' | 'not-http';
type ProxyFacts = { proxy?: string; variable?: string };

export const PROXY_EN = {
  'not-a-url': (p) => `The proxy in ${p.variable} is not a valid URL: use http://host:port.`,
  'not-http': (p) => `The proxy ${p.proxy} is not supported: use an http:// proxy (HTTPS is tunnelled through it).`,
} satisfies Sentences<ProxyProblem, ProxyFacts>;

export const PROXY_ZH = {
  'not-a-url': (p) => `${p.variable} 中的代理不是有效的 URL：请使用 http://主机:端口 的形式。`,
  'not-http': (p) => `不支持代理 ${p.proxy}：请使用 http:// 代理（HTTPS 会通过它建立隧道）。`,
} satisfies Sentences<ProxyProblem, ProxyFacts>;

const PROXY: Tables<ProxyProblem, ProxyFacts> = { en: PROXY_EN, 'zh-CN': PROXY_ZH };

/** The key of resolvedProxy's answer for origins not resolved one by one. */
export const ANY_ORIGIN = '*';

export class ProxyConfigError extends SaidError {
  override name = 'ProxyConfigError';
  constructor(problem: ProxyProblem, facts: ProxyFacts) {
    super(sayAll(PROXY, problem, facts));
  }
}

let current: ProxyFor | undefined;

/** The proxy rule of this thread: HTTPS_PROXY/NO_PROXY unless useProxy() set another. */
export function proxyFor(target: URL): URL | undefined {
  current ??= envProxy();
  return current(target);
}

/** Replaces this thread's proxy rule (the desktop worker: the system's, resolved by Electron). */
export function useProxy(rule: ProxyFor): void {
  current = rule;
}

/**
 * Adds the operating system's trusted roots to Node's own for this thread (Node ≥ 22.19 / 24.5; older ones keep
 * their own roots and NODE_EXTRA_CA_CERTS). Returns whether it could.
 */
export function trustSystemCertificates(): boolean {
  const t = tls as typeof tls & { setDefaultCACertificates?: (certs: string[]) => void };
  if (typeof t.getCACertificates !== 'function' || typeof t.setDefaultCACertificates !== 'function') return false;
  try {
    t.setDefaultCACertificates([...new Set([...t.getCACertificates('default'), ...t.getCACertificates('system')])]);
    return true;
  } catch {
    // A system store that cannot be read leaves Node's roots as they were.
    return false;
  }
}

/** The Proxy-Authorization a proxy URL with a user name asks for (Basic), or undefined. */
export function proxyAuthorization(proxy: URL): string | undefined {
  return proxy.username ? `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}` : undefined;
}

/** HTTPS through an HTTP proxy's CONNECT tunnel, keeping connections alive like the direct agent. */
export class TunnelAgent extends https.Agent {
  constructor(
    private readonly proxy: URL,
    opts: https.AgentOptions,
  ) {
    super(opts);
  }

  override createConnection(options: http.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const done = callback ?? (() => {});
    const host = options.hostname ?? options.host ?? 'localhost';
    const port = Number(options.port ?? 443);
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const auth = proxyAuthorization(this.proxy);
    const connect = http.request({
      host: this.proxy.hostname.replace(/^\[|\]$/gu, ''),
      port: Number(this.proxy.port || 80),
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...(auth ? { 'proxy-authorization': auth } : {}) },
      agent: false,
    });
    connect.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        done(Object.assign(new Error(`The proxy refused the tunnel (HTTP ${res.statusCode}).`), { code: 'EPROXY' }), undefined as unknown as Duplex);
        return;
      }
      const secure = tls.connect({ ...(options as tls.ConnectionOptions), socket, servername: (options as tls.ConnectionOptions).servername ?? host });
      done(null, secure);
    });
    connect.once('error', (err) => done(Object.assign(err, { code: (err as NodeJS.ErrnoException).code ?? 'EPROXY' }), undefined as unknown as Duplex));
    connect.end();
    return undefined;
  }
}
