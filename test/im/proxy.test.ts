// Behind a proxy and a TLS-inspecting firewall: a real HTTP CONNECT proxy and a real HTTPS server (a certificate
// no public root signed, as a firewall's is) on 127.0.0.1, and the client in a child process, because Node reads
// NODE_EXTRA_CA_CERTS and the system's roots at start. Everything here closes by itself: each child has a
// deadline, and the servers drop their connections when the suite ends.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ANY_ORIGIN, envProxy, resolvedProxy } from '../../app/im/proxy';
import { runMain } from '../cli/run-cli';
import { inFreshNode } from './fresh-node';

const fixture = (f: string) => fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url));
const CERT = fixture('localhost-cert.pem');
const HTTP = new URL('../../app/im/http.ts', import.meta.url).href;

let server: https.Server;
let proxy: http.Server;
let target: string;
let proxyUrl: string;
const tunnels: string[] = [];
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  server = https.createServer({ cert: await readFile(CERT), key: await readFile(fixture('localhost-key.pem')) }, (req, res) => {
    req.resume();
    req.on('end', () => res.end(JSON.stringify({ ActionStatus: 'OK', path: req.url })));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  target = `https://localhost:${(server.address() as AddressInfo).port}/v4/group_open_http_svc/get_appid_group_list`;

  // A minimal forward proxy: CONNECT only, to 127.0.0.1 only (it must never reach anything else).
  proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [, port] = /:(\d+)$/u.exec(req.url ?? '') ?? [];
    const upstream = net.connect(Number(port), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  server.closeAllConnections();
  await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => proxy.close(r))]);
});

/** One POST from a fresh Node process with `env` added (and none of this process's proxy settings). */
function postFromChild(env: Record<string, string>): Promise<{ ok: boolean; status?: number; failure?: string }> {
  const script = `import(${JSON.stringify(HTTP)}).then(async ({ HttpPool }) => {
    const pool = new HttpPool();
    const r = await pool.post(new URL(${JSON.stringify(target)}), '{}', 10000);
    pool.close();
    process.stdout.write(JSON.stringify(r.ok ? { ok: true, status: r.status } : r));
  })`;
  return inFreshNode(script, env);
}

describe('HTTPS_PROXY and NO_PROXY', () => {
  it('tunnel through the proxy, and trust the CA that NODE_EXTRA_CA_CERTS names', async () => {
    const before = tunnels.length;
    expect(await postFromChild({ HTTPS_PROXY: proxyUrl, NODE_EXTRA_CA_CERTS: CERT })).toEqual({ ok: true, status: 200 });
    expect(tunnels.slice(before)).toEqual([`localhost:${new URL(target).port}`]);
  });

  it('go direct for a host NO_PROXY names', async () => {
    const before = tunnels.length;
    expect(await postFromChild({ https_proxy: proxyUrl, no_proxy: 'example.com, .localhost,localhost', NODE_EXTRA_CA_CERTS: CERT })).toEqual({ ok: true, status: 200 });
    expect(tunnels.length).toBe(before);
  });

  it('without the CA the certificate is refused, through the proxy too', async () => {
    const r = await postFromChild({ HTTPS_PROXY: proxyUrl });
    expect(r.ok).toBe(false);
    expect(r.failure).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/u);
  });

  it('a root the operating system trusts is trusted (a firewall’s root is installed there)', async () => {
    // OpenSSL's SSL_CERT_FILE stands in for the system store on Linux.
    if (process.platform !== 'linux') return;
    expect(await postFromChild({ HTTPS_PROXY: proxyUrl, SSL_CERT_FILE: CERT })).toEqual({ ok: true, status: 200 });
  });

  it('a proxy that refuses the tunnel is a connection failure, not a hang', async () => {
    const refusing = http.createServer();
    refusing.on('connect', (_req: http.IncomingMessage, socket: net.Socket) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'));
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', r));
    try {
      const r = await postFromChild({ HTTPS_PROXY: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`, NODE_EXTRA_CA_CERTS: CERT });
      expect(r).toEqual({ ok: false, failure: 'EPROXY' });
    } finally {
      await new Promise((r) => refusing.close(r));
    }
  });
});

describe('which proxy', () => {
  const url = (s: string) => new URL(s);

  it('follows curl’s NO_PROXY rules', () => {
    const rule = envProxy({ HTTPS_PROXY: 'proxy.corp:3128', NO_PROXY: '.internal.example, qq.com:8443, [::1]' });
    expect(rule(url('https://adminapisgp.im.qcloud.com/'))?.href).toBe('http://proxy.corp:3128/');
    expect(rule(url('https://a.internal.example/'))).toBeUndefined();
    expect(rule(url('https://internal.example/'))).toBeUndefined();
    expect(rule(url('https://notinternal.example/'))?.host).toBe('proxy.corp:3128');
    expect(rule(url('https://console.tim.qq.com/'))?.host).toBe('proxy.corp:3128');
    expect(rule(url('https://console.tim.qq.com:8443/'))).toBeUndefined();
    expect(rule(url('https://[::1]/'))).toBeUndefined();
    expect(envProxy({ HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' })(url('https://x.example/'))).toBeUndefined();
    expect(envProxy({})(url('https://x.example/'))).toBeUndefined();
    // Plain http (media files only) goes through http_proxy, lower case only as curl reads it; port 80 by default.
    const both = envProxy({ HTTPS_PROXY: 'http://secure.corp:1', http_proxy: 'plain.corp:2', NO_PROXY: 'cdn.example:80' });
    expect(both(url('http://files.example/x'))?.href).toBe('http://plain.corp:2/');
    expect(both(url('https://files.example/x'))?.href).toBe('http://secure.corp:1/');
    expect(both(url('http://cdn.example/x'))).toBeUndefined();
    expect(both(url('https://cdn.example/x'))?.host).toBe('secure.corp:1');
    expect(envProxy({ HTTP_PROXY: 'http://p:1' })(url('http://x.example/'))).toBeUndefined();
    expect(envProxy({ HTTPS_PROXY: 'http://p:1' })(url('http://x.example/'))).toBeUndefined();
  });

  it('a proxy the CLI cannot use is a usage error, before any request', async () => {
    vi.stubEnv('TIM_SDKAPPID', '1400000001');
    vi.stubEnv('TIM_ADMIN', 'administrator');
    vi.stubEnv('TIM_SECRET_KEY', 'k'.repeat(32));
    try {
      for (const bad of ['socks5://127.0.0.1:1080', 'http://[bad']) {
        vi.stubEnv('HTTPS_PROXY', bad);
        const r = await runMain(['groups', '--region', 'singapore']);
        expect(r.code, bad).toBe(2);
        expect(r.stderr).toMatch(/proxy/iu);
      }
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('reads what Electron resolved from the system settings or a PAC script', () => {
    const rule = resolvedProxy({
      'https://console.tim.qq.com': 'PROXY proxy.corp:8080; DIRECT',
      'https://adminapisgp.im.qcloud.com': 'DIRECT',
      'https://adminapikr.im.qcloud.com': 'SOCKS5 socks.corp:1080',
    });
    expect(rule(url('https://console.tim.qq.com/v4/x'))?.href).toBe('http://proxy.corp:8080/');
    expect(rule(url('https://adminapisgp.im.qcloud.com/'))).toBeUndefined();
    expect(rule(url('https://adminapikr.im.qcloud.com/'))).toBeUndefined();
    expect(rule(url('https://unknown.example/'))).toBeUndefined();
    // Hosts main did not resolve (media files) take the answer given for any origin.
    const withAny = resolvedProxy({ 'https://console.tim.qq.com': 'DIRECT', [ANY_ORIGIN]: 'PROXY proxy.corp:8080' });
    expect(withAny(url('https://cos.ap-guangzhou.myqcloud.com/x.jpg'))?.href).toBe('http://proxy.corp:8080/');
    expect(withAny(url('http://dl.example.com/x.jpg'))?.href).toBe('http://proxy.corp:8080/');
    expect(withAny(url('https://console.tim.qq.com/v4/x'))).toBeUndefined();
  });
});
