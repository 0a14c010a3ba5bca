// The real app in real Electron, started by ./packaged-app (the packaged app in dist/ if built, else Electron's binary
// with the bundle), attached to over CDP. Skipped, saying why, where there is no Electron binary (machines without
// network cannot download it; `require('electron')` would try).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser as CdpBrowser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS, OPERATIONS, type RendererApi, subscriptionName } from '../../app/ipc/contract';
import { bundle } from '../../build/bundle.mjs';
import { appLaunch, type Launch } from './packaged-app';

/** The bits of the browser's globals used in page.evaluate (the project's types are Node's). */
interface Browser {
  location: { href: string };
  open(url: string): unknown;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

const launch = appLaunch(root);
if (typeof launch === 'string') console.warn(`Skipping the Electron app tests: ${launch}.`);

async function devToolsPort(data: string, child: ChildProcess): Promise<number> {
  const file = join(data, 'DevToolsActivePort');
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode} before opening its window`);
    const text = await readFile(file, 'utf8').catch(() => '');
    const port = Number(text.split('\n')[0]);
    if (port > 0) return port;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the app did not open its window within 30 s');
}

describe.runIf(typeof launch !== 'string')('the desktop app in Electron', () => {
  let data: string;
  let child: ChildProcess;
  let cdp: CdpBrowser;
  let page: Page;

  beforeAll(async () => {
    const how = launch as Launch;
    if (!how.packaged) await bundle();
    data = await mkdtemp(join(tmpdir(), 'tim-electron-app-'));
    child = spawn(how.executablePath, how.args, { env: { ...process.env, TIM_DATA_DIR: data }, stdio: 'inherit' });
    cdp = await chromium.connectOverCDP(`http://127.0.0.1:${await devToolsPort(data, child)}`);
    const end = Date.now() + 30_000;
    while (!cdp.contexts().some((c) => c.pages().some((p) => p.url().startsWith('app://'))) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    page = cdp.contexts().flatMap((c) => c.pages()).find((p) => p.url().startsWith('app://'))!;
    await page.waitForLoadState('domcontentloaded');
  }, 60_000);
  afterAll(async () => {
    await cdp?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill();
      await exited;
    }
    await rm(data, { recursive: true, force: true });
  });

  it('loads the UI from app:// into an isolated, sandboxed renderer with no Node', async () => {
    expect(page.url()).toMatch(/^app:\/\/tim\//);
    expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
    const info = await page.evaluate(() => (globalThis as unknown as { api: RendererApi }).api.appInfo());
    expect(info).toMatchObject({ ok: true, value: { packaged: (launch as Launch).packaged } });
  });

  it('exposes window.api: one function per operation and per event, nothing else', async () => {
    const keys = await page.evaluate(() => Object.keys((globalThis as unknown as { api: object }).api).sort());
    expect(keys).toEqual([...OPERATIONS, ...EVENTS.map(subscriptionName)].sort());
    const info = await page.evaluate(() => (globalThis as unknown as { api: RendererApi }).api.appInfo());
    expect(info).toMatchObject({ ok: true, value: { dataDir: data } });
  });

  it('cannot navigate away, open windows or reach the network', async () => {
    await page.evaluate(() => {
      (globalThis as unknown as Browser).location.href = 'https://example.com/';
    });
    await page.waitForTimeout(300);
    expect(page.url()).toMatch(/^app:\/\/tim\//);
    expect(await page.evaluate(() => (globalThis as unknown as Browser).open('https://example.com/') === null)).toBe(true);
    expect(await page.evaluate(() => fetch('https://example.com/').then(() => 'reached', () => 'blocked'))).toBe('blocked');
  });

  it('runs the demo backup through the worker, with events in the page', async () => {
    const outcome = await page.evaluate(async () => {
      const api = (globalThis as unknown as { api: RendererApi }).api;
      const demo = await api.startDemo();
      if (!demo.ok) return demo.error.message;
      return new Promise<string>((resolve) => {
        const off = api.onBackupDone((e) => {
          off();
          resolve(e.summary.outcome);
        });
        void api.startBackup({ profile: 'Demo', groups: [{ groupId: 'team-english' }] });
      });
    });
    expect(outcome).toBe('ok');
  }, 60_000);
});
