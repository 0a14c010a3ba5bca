// POST over pooled keep-alive connections (Tencent asks for them), with an overall deadline. The outcome is a
// value, never a rejection: every way a request can fail (refused, reset mid-body, deadline) becomes
// { ok: false, failure }, so nothing can escape as an unhandled rejection or crash the process. HTTPS goes
// through the proxy the environment or the system names (./proxy), one pool per proxy.

import http from 'node:http';
import https from 'node:https';
import { proxyFor, trustSystemCertificates, TunnelAgent } from './proxy';

const POOL: https.AgentOptions = { keepAlive: true, maxSockets: 64 };
/** Once per thread, on first use of the network (a command that only reads the archive never pays for it). */
let systemRoots: boolean | undefined;

export type HttpOutcome = { ok: true; status: number; body: Buffer } | { ok: false; failure: string };

export class HttpPool {
  readonly #http = new http.Agent(POOL);
  readonly #https = new https.Agent(POOL);
  readonly #tunnels = new Map<string, TunnelAgent>();

  constructor() {
    systemRoots ??= trustSystemCertificates();
  }

  #agent(url: URL): http.Agent {
    if (url.protocol !== 'https:') return this.#http;
    const proxy = proxyFor(url);
    if (!proxy) return this.#https;
    let tunnel = this.#tunnels.get(proxy.href);
    if (!tunnel) this.#tunnels.set(proxy.href, (tunnel = new TunnelAgent(proxy, POOL)));
    return tunnel;
  }

  /** `failure` is a Node error code (ECONNRESET, ENOTFOUND…), 'timeout', or 'incomplete' (body cut short). */
  post(url: URL, body: string, timeoutMs: number): Promise<HttpOutcome> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const settle = (o: HttpOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(o);
      };
      const failed = (err: unknown) => settle({ ok: false, failure: errorCode(err) });
      const secure = url.protocol === 'https:';
      let req: http.ClientRequest;
      try {
        req = (secure ? https : http).request(
          url,
          {
            method: 'POST',
            agent: this.#agent(url),
            headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), accept: 'application/json' },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', failed);
            res.on('end', () => settle({ ok: true, status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
            res.on('close', () => {
              if (!res.complete) settle({ ok: false, failure: 'incomplete' });
            });
          },
        );
      } catch (err) {
        // Thrown synchronously for a malformed URL or header; its message may quote the URL, so only the code goes on.
        failed(err);
        return;
      }
      timer = setTimeout(() => {
        settle({ ok: false, failure: 'timeout' });
        req.destroy();
      }, timeoutMs);
      req.on('error', failed);
      req.end(body);
    });
  }

  /** Closes every pooled connection; requests still in flight fail (as 'incomplete' or a reset). */
  close(): void {
    this.#http.destroy();
    this.#https.destroy();
    for (const t of this.#tunnels.values()) t.destroy();
  }
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : 'connection-failed';
}
