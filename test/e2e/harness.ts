// What the end-to-end tests share: the renderer built for real (Vite, into a temporary folder), Debian's Chromium
// driven by Playwright, pages that fail the test on any console error, CSP violation or uncaught exception, and
// screenshots saved as test artifacts.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect, vi } from 'vitest';
import { build } from 'vite';
import { channel, type NavigateTarget, type Operation, type Result } from '../../app/ipc/contract';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  if (!existsSync(CHROMIUM)) return `Chromium is not installed at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM_PATH).`;
  if (spawnSync(CHROMIUM, ['--version']).status !== 0) return `${CHROMIUM} does not run.`;
  return undefined;
}

/** The production build of the renderer, as the app ships it. */
export async function buildRenderer(outDir: string): Promise<void> {
  await build({ configFile: join(ROOT, 'renderer', 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

export interface AppPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, CSP violations, uncaught exceptions and dialogs nobody expected, as they happened. */
  problems: string[];
}

export interface PageOptions {
  locale: 'en-US' | 'zh-CN';
  colorScheme: 'light' | 'dark';
}

export async function openApp(browser: Browser, url: string, opts: PageOptions): Promise<AppPage> {
  const context = await browser.newContext({ locale: opts.locale, colorScheme: opts.colorScheme, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  // The reader shows stored media through tim-media://, which main serves in the app: the bridge does here.
  if (/^https?:/u.test(url)) await routeMedia(context, url);
  await page.goto(url);
  return { context, page, problems };
}

/** Calls the bridge as the page does (same handler, same worker): for a test's own setup and checks. */
export async function bridgeCall<T>(url: string, op: Operation, arg?: unknown): Promise<T> {
  const res = await fetch(new URL('__bridge/invoke', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: new URL(url).origin },
    body: JSON.stringify({ channel: channel.operation(op), args: arg === undefined ? [] : [arg] }),
  });
  const r = (await res.json()) as Result<T>;
  if (!r.ok) throw new Error(`${op}: ${r.error.kind}: ${r.error.message}`);
  return r.value;
}

/** A click on a notification about `target`: the bridge sends the window main's navigate event. */
export async function clickNotification(url: string, target: NavigateTarget): Promise<void> {
  const res = await fetch(new URL('__bridge/notification-click', url), { method: 'POST', headers: { 'content-type': 'application/json', origin: new URL(url).origin }, body: JSON.stringify(target) });
  if (!res.ok) throw new Error(`notification-click: HTTP ${res.status}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/**
 * The screen at 1280×800 and at 1024×640 (and `narrow` px wide, where a screen must work narrower still): a
 * screenshot of each, no sideways scrolling, every button in view, and zero axe violations (default rules).
 */
export async function shots(page: Page, name: string, narrow?: number): Promise<void> {
  const sizes = [{ width: 1280, height: 800, tag: '' }, { width: 1024, height: 640, tag: '-1024' }, ...(narrow ? [{ width: narrow, height: 640, tag: `-${narrow}` }] : [])];
  for (const size of sizes) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    await screenshot(page, `${name}${size.tag}`);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow, `${name} at ${size.width} px scrolls sideways`).toBeLessThanOrEqual(0);
    const cut = await page.locator('main button:visible').evaluateAll((bs, width) => bs.filter((b) => b.getBoundingClientRect().right > width + 1).map((b) => b.textContent), size.width);
    expect(cut, `${name} at ${size.width} px: buttons cut off`).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  const violations = await axe(page);
  expect(violations, `${name}: axe`).toEqual([]);
}

/** axe-core's default rules on the page as it is; the summary of each violation found. */
export async function axe(page: Page): Promise<string[]> {
  const source = await readFile(AXE, 'utf8');
  // Evaluated through the debugging protocol, which the page's CSP (script-src 'self') does not govern.
  return page.evaluate<string[]>(
    `${source};\naxe.run(document).then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => JSON.stringify(n.target)).join(' ')))`,
  );
}

/** Opens a section from the navigation and waits for its heading. */
/**
 * Chooses a group (its option's label) on the Reader and waits for its transcript, which it returns. On a loaded
 * machine the group list can be drawn again after the choice and drop it, or the old transcript still be shown:
 * choose again until the chosen group's transcript is there.
 */
export async function openInReader(page: Page, option: string): Promise<Locator> {
  const transcript = page.getByRole('region', { name: option.replace(/ \([^)]*\)$/u, ''), exact: true });
  await vi.waitFor(
    async () => {
      await page.getByLabel('Group', { exact: true }).selectOption({ label: option });
      await transcript.locator('.m').first().waitFor({ timeout: 5_000 });
    },
    { timeout: 60_000, interval: 200 },
  );
  return transcript;
}

export async function nav(page: Page, screen: string): Promise<void> {
  await page.locator(`nav button[data-screen="${screen}"]`).click();
  await page.locator(`nav button[data-screen="${screen}"][aria-current="page"]`).waitFor();
  await page.locator('main h1').waitFor();
}

/**
 * The page's tim-media:// requests (stored media by sha256), answered as Electron's protocol.handle answers them:
 * by the bridge, with main's own handler over the worker's lookup. Each answer is recorded.
 */
export async function routeMedia(context: BrowserContext, bridgeUrl: string, seen: string[] = []): Promise<string[]> {
  await context.route(/^tim-media:/u, async (route) => {
    const request = route.request();
    seen.push(request.url());
    const sha = new URL(request.url()).hostname;
    const range = await request.headerValue('range');
    const res = await fetch(new URL(`__bridge/media/${sha}`, bridgeUrl), { method: request.method(), ...(range ? { headers: { range } } : {}) });
    await route.fulfill({ status: res.status, headers: Object.fromEntries(res.headers), body: Buffer.from(await res.arrayBuffer()) });
  });
  return seen;
}
