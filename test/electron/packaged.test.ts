// The real app in real Electron, driven by Playwright's _electron: the packaged app when `npm run dist -- --dir`
// has produced one (dist/*-unpacked), else the bundled app in the installed Electron. Skipped, saying why, where
// there is no Electron binary (machines without network cannot download it; `require('electron')` would try).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS, OPERATIONS, type RendererApi, subscriptionName } from '../../app/ipc/contract';
import { bundle } from '../../build/bundle.mjs';

/** The bits of the browser's globals used in page.evaluate (the project's types are Node's). */
interface Browser {
  location: { href: string };
  open(url: string): unknown;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The app to launch: the packaged one if built, else Electron's binary with the bundled main. */
function target(): { executablePath: string; args: string[] } | string {
  const dist = join(root, 'dist');
  const unpacked = existsSync(dist) ? readdirSync(dist).find((d) => /-unpacked$/.test(d)) : undefined;
  const executable = unpacked ? readdirSync(join(dist, unpacked)).find((f) => /^tim-group-backup(\.exe)?$/i.test(f) || f === 'TIM Group Backup') : undefined;
  if (unpacked && executable) return { executablePath: join(dist, unpacked, executable), args: [] };
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  const binary = existsSync(pathFile) ? join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim()) : undefined;
  if (!binary || !existsSync(binary)) return 'there is no Electron binary (node_modules/electron/dist is missing: it is downloaded by `npm install` on a connected machine)';
  if (!existsSync(join(root, 'renderer', 'dist', 'index.html'))) return 'the renderer is not built (renderer/dist/index.html)';
  return { executablePath: binary, args: [join(root, 'out', 'main.mjs')] };
}

const launch = target();
if (typeof launch === 'string') console.warn(`Skipping the Electron app tests: ${launch}.`);

describe.runIf(typeof launch !== 'string')('the desktop app in Electron', () => {
  let data: string;
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    const how = launch as Exclude<typeof launch, string>;
    if (how.args.length > 0) await bundle();
    data = await mkdtemp(join(tmpdir(), 'tim-electron-app-'));
    app = await _electron.launch({ ...how, env: { ...process.env, TIM_DATA_DIR: data } as Record<string, string> });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await rm(data, { recursive: true, force: true });
  });

  it('loads the UI from app:// into an isolated, sandboxed renderer with no Node', async () => {
    expect(page.url()).toMatch(/^app:\/\/tim\//);
    expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
    expect(await app.evaluate(({ app: electronApp }) => electronApp.isPackaged)).toBe((launch as { args: string[] }).args.length === 0);
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
