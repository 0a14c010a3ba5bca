// An error's specific sentence in the window's language, end to end: the production build in Debian's Chromium,
// through the bridge (the preload's contract) to the real worker, whose profile points at a web server that
// answers with an HTML page instead of Tencent's API. A Chinese window shows the worker's sentence in Chinese as
// the error's detail (not English behind 技术细节), an English one in English; the headline is the window's own.

import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appTestsMissing, launchBridge, type LaunchedBridge } from './bridge/launch';
import { bridgeCall, buildRenderer, launchChromium, nav, openApp, screenshot } from './harness';

const skip = appTestsMissing();
if (skip) console.warn(`Skipping the end-to-end test of localized error details: ${skip}`);

describe.skipIf(skip !== undefined)('an error’s detail in the window’s language', { timeout: 120_000 }, () => {
  let dir: string;
  let web: Server;
  let bridge: LaunchedBridge;
  let browser: Browser;
  let host: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tim-e2e-errors-'));
    web = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>'));
    web.listen(0, '127.0.0.1');
    await once(web, 'listening');
    host = `127.0.0.1:${(web.address() as AddressInfo).port}`;
    const dist = join(dir, 'dist');
    await buildRenderer(dist);
    bridge = await launchBridge({ dataDir: join(dir, 'data'), distDir: dist, keychainService: 'TIM Group Backup e2e errors', throwawayKeyring: true });
    const profile = { name: 'Portal', endpoint: `http://${host}`, sdkAppId: 1400000999, admin: 'administrator', rate: 180, retentionDays: 7 };
    await bridgeCall(bridge.url, 'saveProfile', { profile });
    await bridgeCall(bridge.url, 'setSecretKey', { profile: profile.name, secretKey: 'e2e-errors-0123456789abcdef0123456789abcdef0123456789abcdef0123' });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.stop();
    await new Promise<void>((resolve) => (web ? web.close(() => resolve()) : resolve()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['zh-CN', '无法连接腾讯', `${'HOST'} 不是腾讯即时通信 IM 的接口：它对 get_appid_group_list 返回了一个网页。请检查数据中心或接口地址，以及中间的代理或网络登录页面。`],
    ['en-US', 'Tencent could not be reached', `${'HOST'} is not Tencent's IM API: it answered get_appid_group_list with a web page. Check the region or base URL, and any proxy or network sign-in page in between.`],
  ] as const)('%s', async (locale, headline, detail) => {
    const app = await openApp(browser, bridge.url, { locale, colorScheme: 'light' });
    const page = app.page;
    page.setDefaultTimeout(30_000);
    try {
      await nav(page, 'groups');
      const note = page.locator('[role="alert"][data-kind="network"]');
      await note.waitFor();
      expect(await note.locator('strong').textContent()).toContain(headline);
      // Shown as a line of the window's own language, not folded away as an English technical detail.
      expect(await note.getByTestId('error-detail').textContent()).toBe(detail.replace('HOST', host));
      expect(await note.locator('details').count()).toBe(0);
      await screenshot(page, `error-detail-${locale}`);
      expect(app.problems).toEqual([]);
    } finally {
      await app.context.close();
    }
  });
});
