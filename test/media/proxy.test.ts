// Media downloads go through the same proxy as the messages, and the address rules still hold for the target:
// a real forward proxy on 127.0.0.1 (absolute-URL GETs for http, CONNECT tunnels for https) in front of the
// emulator and of an HTTPS server whose certificate no public root signed. The https case runs in a fresh Node
// process (../im/fresh-node.ts), because Node reads NODE_EXTRA_CA_CERTS at start.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MsgElem } from '../../app/im/wire';
import { envProxy } from '../../app/im/proxy';
import { MediaDownloader } from '../../app/media/downloader';
import { msg } from '../archive/helpers';
import { inFreshNode } from '../im/fresh-node';
import { expectStoreExact, FAST_MEDIA, mediaRows, policy, setup, tempFolder } from './harness';

const fixture = (f: string) => fileURLToPath(new URL(`../im/fixtures/${f}`, import.meta.url));
const CERT = fixture('localhost-cert.pem');
const MEDIA = new URL('../../app/media/', import.meta.url).href;
const PROXY_RULES = new URL('../../app/im/proxy.ts', import.meta.url).href;

/** What the proxy was asked: absolute URLs (plain HTTP) and tunnel authorities (CONNECT). */
const asked: { gets: string[]; tunnels: string[] } = { gets: [], tunnels: [] };
let proxy: http.Server;
let proxyUrl: string;
const sockets = new Set<net.Socket>();

const track = (s: net.Socket) => {
  sockets.add(s);
  s.on('close', () => sockets.delete(s));
  s.on('error', () => s.destroy());
};

beforeAll(async () => {
  // A minimal forward proxy that reaches 127.0.0.1 only (it must never reach anything else).
  proxy = http.createServer((req, res) => {
    asked.gets.push(req.url ?? '');
    const target = new URL(req.url ?? '');
    if (target.hostname !== '127.0.0.1') return res.writeHead(502).end();
    const upstream = http.request({ host: '127.0.0.1', port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  proxy.on('connection', track);
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    asked.tunnels.push(req.url ?? '');
    const m = /^127\.0\.0\.1:(\d+)$/u.exec(req.url ?? '');
    if (!m) return client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    const upstream = net.connect(Number(m[1]), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    track(upstream);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => proxy.close(r));
});

function file(uuid: string, url: string): MsgElem {
  return { MsgType: 'TIMFileElem', MsgContent: { Url: url, UUID: uuid, FileSize: 1000, FileName: 'a.pdf', Download_Flag: 2 } };
}

describe('media through the proxy the settings name', () => {
  it('downloads every file of a backup through an HTTP proxy (http_proxy), byte for byte', async () => {
    const { emulator, archive, backup } = await setup([{ groupId: 'pics', messages: 120, seed: 31, media: { maxBytes: 40_000 } }]);
    const before = asked.gets.length;
    const summary = await backup(['pics'], { proxy: envProxy({ http_proxy: proxyUrl }) });
    expect(summary.outcome).toBe('ok');
    const rows = await expectStoreExact(archive, emulator);
    const stored = [...rows.values()].filter((r) => r.state === 'stored');
    expect(stored.length).toBeGreaterThan(20);
    expect(summary.media?.stored).toBe(stored.length);
    // Each file (and avatar) was asked of the proxy (by its absolute URL), and nothing went around it (a busy machine may
    // retry a download that timed out: every try counts on both sides).
    const gets = asked.gets.slice(before);
    expect(gets.length).toBeGreaterThanOrEqual(stored.length);
    for (const g of gets) expect(g).toMatch(new RegExp(`^${emulator.url}/(media|avatar)/`, 'u'));
    expect(emulator.media.counters().requests).toBe(gets.length);
  });

  it('goes direct for a host NO_PROXY names', async () => {
    const { emulator, archive, backup } = await setup([{ groupId: 'pics', messages: 60, seed: 32, media: { maxBytes: 20_000 } }]);
    const before = asked.gets.length;
    const summary = await backup(['pics'], { proxy: envProxy({ http_proxy: proxyUrl, no_proxy: '127.0.0.1' }) });
    expect(summary.media?.stored).toBeGreaterThan(5);
    await expectStoreExact(archive, emulator);
    expect(asked.gets.length).toBe(before);
  });

  it('checks every target itself: a private address, a name leading into the LAN and a redirect there never reach the proxy', async () => {
    const { emulator, archive } = await setup([]);
    const redirect = emulator.media.redirectTo('http://192.168.1.20/router.cfg');
    const cases: [string, string, string][] = [
      ['lan', 'http://10.0.0.8/x.pdf', 'refused-address: 10.0.0.8 is a private address'],
      ['name', 'https://files.corp.example/x.pdf', 'refused-address: files.corp.example resolves to 172.16.0.9 is a private address'],
      ['hop', redirect, 'refused-address: 192.168.1.20 is a private address'],
    ];
    const gid = archive.upsertGroup({ sdkAppId: 1, groupId: 'g', newestSeq: cases.length });
    archive.storeWindow(gid, 1, cases.length, cases.map(([id, url], i) => msg(i + 1, [file(id, url)])), archive.beginRun({}));
    const before = { gets: asked.gets.length, tunnels: asked.tunnels.length };
    const rule = envProxy({ http_proxy: proxyUrl, HTTPS_PROXY: proxyUrl });
    const d = new MediaDownloader({ archive, policy: policy(), allowLoopback: true, freeBytes: async () => 1e15, ...FAST_MEDIA, proxy: rule, resolve: async () => [{ address: '172.16.0.9', family: 4 }] });
    const summary = await d.finish();
    expect(summary.failed).toBe(cases.length);
    const rows = mediaRows(archive);
    for (const [id, , reason] of cases) expect(rows.get(`${id}:file`)?.lastError, id).toBe(reason);
    // The redirect itself (on loopback, allowed here) went through the proxy; where it pointed never did.
    expect(asked.gets.slice(before.gets)).toEqual([redirect]);
    expect(asked.tunnels.length).toBe(before.tunnels);
  });
});

describe('https media through a CONNECT tunnel', () => {
  let server: https.Server;
  let port: number;
  const body = Buffer.alloc(300_000);
  for (let i = 0; i < body.length; i++) body[i] = (i * 7919) % 251;

  beforeAll(async () => {
    server = https.createServer({ cert: await readFile(CERT), key: await readFile(fixture('localhost-key.pem')) }, (req, res) => {
      res.writeHead(req.url === '/photo.jpg' ? 200 : 404, { 'Content-Length': req.url === '/photo.jpg' ? body.length : 0 });
      res.end(req.url === '/photo.jpg' ? body : undefined);
    });
    server.on('connection', track);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  /** fetchToFile from a fresh Node process with these environment variables (and none of this process's proxy settings). */
  async function fetchFromChild(url: string, env: Record<string, string>, address = '127.0.0.1'): Promise<Record<string, unknown>> {
    const dir = await tempFolder();
    const script = `Promise.all([import(${JSON.stringify(`${MEDIA}fetch.ts`)}), import(${JSON.stringify(`${MEDIA}connections.ts`)}), import(${JSON.stringify(PROXY_RULES)})]).then(async ([{ fetchToFile }, { MediaConnections }, { envProxy }]) => {
      const connections = new MediaConnections(envProxy());
      const r = await fetchToFile(${JSON.stringify(url)}, { allowLoopback: true, declaredSize: ${body.length}, maxBytes: 1e9, tempPath: ${JSON.stringify(join(dir, 'part'))}, timeoutMs: 10000,
        signal: new AbortController().signal, connections, resolve: async () => [{ address: ${JSON.stringify(address)}, family: 4 }] });
      connections.close();
      process.stdout.write(JSON.stringify(r.ok ? { ok: true, size: r.size, sha256: r.sha256 } : r));
    })`;
    const result = await inFreshNode<Record<string, unknown>>(script, env);
    if (result.ok) result.bytesEqual = (await readFile(join(dir, 'part'))).equals(body);
    return result;
  }

  it('tunnels to the checked address, and verifies the certificate against the host name', async () => {
    const before = asked.tunnels.length;
    const r = await fetchFromChild(`https://localhost:${port}/photo.jpg`, { HTTPS_PROXY: proxyUrl, NODE_EXTRA_CA_CERTS: CERT });
    expect(r).toEqual({ ok: true, size: body.length, sha256: createHash('sha256').update(body).digest('hex'), bytesEqual: true });
    // The proxy was asked for the address this side checked, not for the name (it resolves nothing itself).
    expect(asked.tunnels.slice(before)).toEqual([`127.0.0.1:${port}`]);
  });

  it('a certificate no trusted root signed is refused through the tunnel too', async () => {
    const r = await fetchFromChild(`https://localhost:${port}/photo.jpg`, { HTTPS_PROXY: proxyUrl });
    expect(r).toMatchObject({ ok: false, code: 'network', retry: true });
    expect(String(r.detail)).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/u);
  });

  it('a name that resolves into a private network is refused before any tunnel is asked for', async () => {
    const before = asked.tunnels.length;
    const r = await fetchFromChild(`https://localhost:${port}/photo.jpg`, { HTTPS_PROXY: proxyUrl, NODE_EXTRA_CA_CERTS: CERT }, '10.1.2.3');
    expect(r).toEqual({ ok: false, code: 'refused-address', detail: 'localhost resolves to 10.1.2.3 is a private address', retry: false });
    expect(asked.tunnels.length).toBe(before);
  });
});
