// The window's security settings and the app:// protocol, without Electron: files of the renderer build only
// (no path traversal, however encoded), a strict CSP on every response, https-only external links.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appProtocolHandler, CONTENT_SECURITY_POLICY, isAppFrame, mayReveal, windowOptions } from '../../app/electron/security';
import { externalUrl } from '../../app/ipc/external-url';

let dir: string;
let serve: (req: Request) => Promise<Response>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tim-protocol-'));
  await mkdir(join(dir, 'dist', 'assets'), { recursive: true });
  await writeFile(join(dir, 'dist', 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(dir, 'dist', 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(dir, 'dist', 'assets', 'style.css'), 'body{}');
  await writeFile(join(dir, 'secret.txt'), 'outside the renderer build');
  await writeFile(join(dir, 'dist-evil.html'), 'sibling folder with a shared prefix');
  serve = appProtocolHandler(join(dir, 'dist'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the app:// protocol', () => {
  it('serves the renderer build with its type, the CSP and no sniffing', async () => {
    for (const [path, type] of [['/index.html', 'text/html'], ['/', 'text/html'], ['/assets/index-abc.js', 'text/javascript'], ['/assets/style.css', 'text/css']]) {
      const res = await serve(new Request(`app://tim${path}`));
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('refuses everything outside the build, however the path is spelled', async () => {
    const attempts = [
      'app://tim/../secret.txt',
      'app://tim/%2e%2e/secret.txt',
      'app://tim/..%2fsecret.txt',
      'app://tim/assets/..%2f..%2fsecret.txt',
      'app://tim/%2e%2e%5csecret.txt',
      'app://tim/..%5c..%5csecret.txt',
      `app://tim/${encodeURIComponent(join(dir, 'secret.txt'))}`,
      'app://tim/../dist-evil.html',
      'app://tim/%2e%2e/dist-evil.html',
      'app://tim/index.html%00.js',
      'app://tim/%E0%A4%A',
      'app://other/index.html',
      'app://tim/assets',
      'app://tim/missing.js',
    ];
    for (const url of attempts) {
      const res = await serve(new Request(url));
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(await res.text(), url).not.toMatch(/outside|shared prefix/);
    }
    expect((await serve(new Request('app://tim/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('has a CSP that allows no network, no inline code, no framing', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https:|\*/);
  });
});

describe('window options', () => {
  it('isolate and sandbox the renderer, with DevTools only in development', () => {
    for (const packaged of [false, true]) {
      const prefs = windowOptions('/app/preload.cjs', packaged).webPreferences!;
      expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, preload: '/app/preload.cjs' });
      expect(prefs.devTools).toBe(!packaged);
    }
  });
});

describe('sender frames', () => {
  it('accept only the top-level frame on app://tim', () => {
    expect(isAppFrame({ url: 'app://tim/index.html', parent: null })).toBe(true);
    expect(isAppFrame({ url: 'app://tim/index.html#/search', parent: null })).toBe(true);
    expect(isAppFrame({ url: 'app://tim/index.html', parent: { url: 'app://tim/index.html', parent: null } })).toBe(false);
    for (const url of ['app://timx/index.html', 'https://tim/index.html', 'file:///index.html', 'about:blank', 'not a url', 'app://tim.evil.example/']) {
      expect(isAppFrame({ url, parent: null }), url).toBe(false);
    }
    expect(isAppFrame(null)).toBe(false);
  });
});

describe('revealing in the file manager', () => {
  it('is for paths the app produced, never a UNC path even when produced', () => {
    const produced = new Set(['/home/me/out.csv', '\\\\fileserver\\share\\out.csv', '//fileserver/share/out.csv', '\\\\?\\UNC\\fileserver\\share\\x.csv']);
    expect(mayReveal('/home/me/out.csv', produced)).toBe(true);
    expect(mayReveal('/home/me/other.csv', produced)).toBe(false);
    expect(mayReveal('\\\\fileserver\\share\\out.csv', produced)).toBe(false);
    expect(mayReveal('//fileserver/share/out.csv', produced)).toBe(false);
    expect(mayReveal('\\\\?\\UNC\\fileserver\\share\\x.csv', produced)).toBe(false);
  });
});

describe('external links', () => {
  it('are https only', () => {
    expect(externalUrl('https://cloud.tencent.com/document/product/269')).toBe('https://cloud.tencent.com/document/product/269');
    for (const url of ['http://example.com', 'javascript:alert(1)', 'file:///etc/passwd', 'mailto:a@b.c', 'https://u:p@example.com/', 'example.com', 'app://tim/index.html']) {
      expect(externalUrl(url), url).toBeUndefined();
    }
  });
});
