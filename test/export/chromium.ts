// Debian's Chromium for the tests that open HTML exports from file://: one page whose every request that would
// leave file:// is aborted, and which reports it, with console messages, uncaught errors and dialogs.

import { type Browser, chromium, type Page } from 'playwright-core';

const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

/** `autoplay`: media may play without a click (tests that play audio and video). */
export function launchChromium(opts: { autoplay?: boolean } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...(opts.autoplay ? ['--autoplay-policy=no-user-gesture-required'] : [])] });
}

/** A page of a context of its own; `report` hears what must not happen. A new page costs about a second. */
export async function watchedPage(browser: Browser, report: (incident: string) => void): Promise<Page> {
  const context = await browser.newContext();
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    report(`request ${url}`);
    return route.abort();
  });
  const p = await context.newPage();
  p.on('dialog', (d) => {
    report(`dialog ${d.message()}`);
    void d.dismiss();
  });
  p.on('console', (m) => report(`console ${m.type()} ${m.text()}`));
  p.on('pageerror', (e) => report(`error ${e.message}`));
  return p;
}
