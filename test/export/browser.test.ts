// The hostile corpus exported to HTML and opened from file:// in headless Chromium (Debian's, driven by
// Playwright): no script runs, no request leaves the page, nothing injected exists in the DOM, and every
// message's text is on the page exactly once, as the reader would see it.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportHtml } from '../../app/export/html-export';
import { visibleText } from '../../app/export/visible';
import { launchChromium, watchedPage as watchedChromiumPage } from './chromium';
import { fillHostile } from './hostile';
import { tempArchive, tempDir } from './helpers';

// What the functions given to page.evaluate() use of the page's DOM (they run in Chromium; this project's
// TypeScript has no DOM library).
interface PageElement {
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  getAttributeNames(): string[];
}
declare const document: {
  title: string;
  body: PageElement;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement> & { length: number };
  getElementById(id: string): PageElement | null;
};
declare function getComputedStyle(el: PageElement): { display: string };

let browser: Browser;
let out: string;
let texts: Map<number, string>;
let lastSeq: number;

beforeAll(async () => {
  const { archive } = await tempArchive([]);
  ({ texts, lastSeq } = fillHostile(archive));
  out = join(await tempDir(), 'export');
  // Small pages, so the transcript spans several and the pager is exercised.
  await exportHtml(archive, out, { lang: 'en', timeZone: 'Asia/Shanghai', pageLimits: { messages: 15, bytes: 2_500_000 } });
  browser = await launchChromium();
  page = await watchedPage();
});

afterAll(async () => {
  await browser?.close();
});

let page: Page;
/** Since the last open(): what would have left file:// (aborted), dialogs, console messages, page errors. */
let incidents: string[] = [];

function watchedPage(): Promise<Page> {
  // A new page costs about a second in this Chromium: one page, navigated from file to file, serves every test.
  return watchedChromiumPage(browser, (incident) => incidents.push(incident));
}

async function open(path: string): Promise<Page> {
  incidents = [];
  await page.goto(pathToFileURL(path).href);
  return page;
}

/** The transcript's pages in reading order (2024-05.html, 2024-05-2.html, …, 2024-06.html). */
async function transcriptPages(): Promise<string[]> {
  const groups = await readdir(join(out, 'groups'));
  expect(groups).toHaveLength(1);
  const dir = join(out, 'groups', groups[0]!);
  const order = (f: string) => {
    const [, month, part] = /^(\d{4}-\d{2})(?:-(\d+))?\.html$/u.exec(f)!;
    return `${month}-${(part ?? '1').padStart(4, '0')}`;
  };
  const files = (await readdir(dir)).filter((f) => f !== 'index.html');
  return files.sort((a, b) => order(a).localeCompare(order(b))).map((f) => join(dir, f));
}

describe('the HTML export of hostile messages in Chromium', () => {
  it('runs no script, sends no request, and injects no element on any page', async () => {
    const files = [join(out, 'index.html'), ...(await transcriptPages())];
    const groupIndex = join((await transcriptPages())[0]!, '..', 'index.html');
    for (const file of [...files, groupIndex]) {
      await open(file);
      const dom = await page.evaluate(() => ({
        injected: document.querySelectorAll('script, iframe, object, embed, svg, math, form, base, link, img, button, meta[http-equiv="refresh"]').length,
        styles: document.querySelectorAll('style').length,
        handlers: [...document.querySelectorAll('*')].flatMap((el) => el.getAttributeNames().filter((a) => a.startsWith('on'))),
        hrefs: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')!),
        title: document.title,
        bodyVisible: getComputedStyle(document.body).display !== 'none',
      }));
      expect(incidents, file).toEqual([]);
      expect(dom.injected, file).toBe(0);
      expect(dom.styles, file).toBe(1);
      expect(dom.handlers, file).toEqual([]);
      expect(dom.bodyVisible).toBe(true);
      for (const href of dom.hrefs) expect(href, file).toMatch(/^(https?:\/\/|#seq-\d+$|[A-Za-z0-9_./-]+\.html$)/u);
    }
  });

  it('shows every message exactly once, with its text exactly as sent', async () => {
    const seen = new Map<number, number>();
    for (const file of await transcriptPages()) {
      await open(file);
      const found = await page.evaluate((expected: [number, string][]) => {
        const body = document.body.textContent ?? '';
        const occurrences = (s: string) => {
          let n = 0;
          for (let at = body.indexOf(s); at >= 0; at = body.indexOf(s, at + 1)) n++;
          return n;
        };
        const ids = [...document.querySelectorAll('[id^="seq-"]')].map((el) => Number(el.id.slice(4)));
        const texts = expected
          .filter(([seq]) => document.getElementById(`seq-${seq}`))
          .map(([seq, text]) => ({ seq, shown: document.querySelector(`#seq-${seq} .tx`)?.textContent, count: occurrences(text) }));
        return { ids, texts };
      }, [...texts].map(([seq, t]) => [seq, visibleText(t)] as [number, string]));
      expect(incidents).toEqual([]);
      for (const id of found.ids) seen.set(id, (seen.get(id) ?? 0) + 1);
      for (const t of found.texts) {
        expect(t.shown, `Seq ${t.seq}`).toBe(visibleText(texts.get(t.seq)!));
        expect(t.count, `Seq ${t.seq}`).toBe(1);
      }
    }
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it('links only http(s) URLs from message text, with rel="noopener noreferrer"', async () => {
    const links: { href: string | null; rel: string | null; text: string | null }[] = [];
    for (const file of await transcriptPages()) {
      await open(file);
      links.push(
        ...(await page.evaluate(() =>
          [...document.querySelectorAll('main a[href^="http"]')].map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel'), text: a.textContent })),
        )),
      );
    }
    for (const l of links) expect(l.rel).toBe('noopener noreferrer');
    expect(links.map((l) => l.text)).toEqual(
      expect.arrayContaining(['https://ok.example/a?b=1&c=', 'https://example.com/path?x=', 'https://example.com/(wiki)_link']),
    );
    expect(links.some((l) => l.text?.includes('javascript:') || l.href?.startsWith('javascript:'))).toBe(false);
  });

  it('navigates between pages from file:// with the previous/next links and keeps anchors', async () => {
    const pages = await transcriptPages();
    expect(pages.length).toBeGreaterThan(2);
    await open(pages[0]!);
    const visited = [new URL(page.url()).pathname.split('/').pop()];
    while (await page.locator('header a[rel="next"]').count()) {
      await Promise.all([page.waitForEvent('load'), page.locator('header a[rel="next"]').click()]);
      visited.push(new URL(page.url()).pathname.split('/').pop());
    }
    expect(visited).toEqual(pages.map((p) => p.split('/').pop()));
    await Promise.all([page.waitForEvent('load'), page.locator('header a[rel="prev"]').click()]);
    expect(page.url().endsWith(visited.at(-2)!)).toBe(true);
    const anchor = await page.locator('main .m').first().getAttribute('id');
    await page.locator(`#${anchor} a.t`).click();
    expect(page.url().endsWith(`#${anchor}`)).toBe(true);
    expect(incidents).toEqual([]);
  });
});
