// Avatars in the HTML export, opened from file:// in Debian's Chromium after a real backup against the emulator:
// each sender's avatar is the export's own copy of the stored picture (byte for byte the emulator's PNG), a sender
// without a stored avatar gets initials, --media none gives initials only — and no request leaves the export.

import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../app/archive';
import { exportHtml } from '../../app/export/html-export';
import { initials } from '../../app/people/initials';
import { APP, setup } from '../media/harness';
import { launchChromium, watchedPage } from './chromium';
import { tempDir } from './helpers';

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
});

async function pagesOf(folder: string): Promise<string[]> {
  const [group] = await readdir(join(folder, 'groups'));
  return (await readdir(join(folder, 'groups', group!))).filter((f) => f !== 'index.html').map((f) => join(folder, 'groups', group!, f));
}

describe('avatars in the HTML export', () => {
  it('shows each sender’s stored avatar from the export’s own files, initials where none is stored, and nothing remote', async () => {
    const { emulator, archive, backup } = await setup([{ groupId: 'team', members: 12, messages: 40, seed: 8, media: { maxBytes: 2000 } }]);
    const people = emulator.people(APP.sdkAppId);
    const bare = people.members('team')[1]!.account;
    people.setImage(bare, '');
    expect((await backup(['team'])).outcome).toBe('ok');
    const spoke = new Set(rowsOf(archive.db, 'SELECT DISTINCT sender FROM messages WHERE is_system = 0').map((r) => String(r[0])));
    expect(spoke.has(bare)).toBe(true);

    const out = join(await tempDir(), 'export');
    await exportHtml(archive, out, { lang: 'en', timeZone: 'Asia/Shanghai' });
    const bare2 = join(await tempDir(), 'bare');
    await exportHtml(archive, bare2, { lang: 'zh-CN', timeZone: 'Asia/Shanghai', media: 'none' });

    browser = await launchChromium();
    const incidents: string[] = [];
    const page = await watchedPage(browser, (i) => incidents.push(i));
    const seen = new Map<string, string>();
    for (const file of await pagesOf(out)) {
      await page.goto(pathToFileURL(file).href);
      const heads = await page.$$eval('.m > .h', (els) =>
        els.map((h) => {
          const av = h.querySelector('.av')!;
          const img = av.tagName === 'IMG' ? (av as unknown as { getAttribute(n: string): string | null; naturalWidth: number; complete: boolean }) : undefined;
          return { account: h.querySelector('.a')?.textContent ?? h.querySelector('.n')?.textContent ?? '', src: img?.getAttribute('src') ?? null, width: img ? img.naturalWidth : -1, text: img ? '' : av.textContent };
        }),
      );
      for (const h of heads) {
        if (h.src === null) {
          expect(h.text, h.account).toMatch(/^\S+$/u);
          seen.set(h.account, '');
          continue;
        }
        // A real picture, loaded from the export's media folder.
        expect(h.src, h.account).toMatch(/^\.\.\/\.\.\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.png$/);
        expect(h.width, h.account).toBe(16);
        seen.set(h.account, h.src);
      }
    }
    expect(incidents).toEqual([]);
    expect(seen.get(bare)).toBe('');
    const withPicture = [...seen].filter(([, src]) => src !== '');
    expect(withPicture.length).toBeGreaterThan(3);
    for (const [account, src] of withPicture) {
      const bytes = await readFile(join(out, 'media', src.slice('../../media/'.length)));
      expect(bytes.equals(emulator.media.avatarBytes(people.profile(account)!.image)), account).toBe(true);
    }

    // Without media, every sender gets initials: no image at all, none broken.
    for (const file of await pagesOf(bare2)) {
      const text = await readFile(file, 'utf8');
      expect(text).not.toMatch(/<img/);
      expect(text).toMatch(/<span class="av" aria-hidden="true">/);
    }
  });

  it('initials are the first visible character: direction marks, zero-width and markup are no way around it', () => {
    const cases: [string, string][] = [
      ['alice', 'A'], ['王小明', '王'], ['\u202Egnp.exe\u202C', 'G'], ['\u200B\u200D\u2066 ', '?'], ['', '?'],
      ['👩🏽‍💻 dev', '👩🏽‍💻'], ['<b>x</b>', '<'],
    ];
    for (const [name, first] of cases) expect(initials(name), JSON.stringify(name)).toBe(first);
  });
});
