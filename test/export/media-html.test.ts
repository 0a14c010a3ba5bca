// The HTML export with the media the archive keeps, opened from file:// in Debian's Chromium: images shown from
// the export's own files (thumbnail inline, linking to the original), audio and video that play, a file offered
// under a safe name, a placeholder for every media that is not stored — and not one request leaving the export,
// not one CSP violation. Then how files get there: hard links on the archive's drive, copies on another.

import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HtmlValidate } from 'html-validate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportHtml } from '../../app/export/html-export';
import { dictionary } from '../../app/export/i18n';
import { mediaExportName } from '../../app/export/media';
import { mediaFilePath } from '../../app/media/model';
import { archiveWithMedia, CLIP, CLIP_THUMB, DOC_FIXTURE, PHOTO, PHOTO_THUMB, SILK, VOICE } from '../media/store';
import { launchChromium, watchedPage } from './chromium';
import { tempDir } from './helpers';

interface El {
  getAttribute(name: string): string | null;
  textContent: string | null;
}
interface MediaEl extends El {
  readyState: number;
  duration: number;
  currentTime: number;
  muted: boolean;
  play(): Promise<void>;
  pause(): void;
}
declare const document: { querySelectorAll<T = El>(selector: string): Iterable<T> & { length: number }; querySelector<T = El>(selector: string): T | null };
declare const window: { __violations: string[] };

const { archive, story } = await archiveWithMedia();
let browser: Browser;
let out: string;
let page: Page;
let incidents: string[] = [];

/** The one transcript page of the group (the story spans a few minutes of one month). */
async function storyPage(folder: string): Promise<string> {
  const [group] = await readdir(join(folder, 'groups'));
  const pages = (await readdir(join(folder, 'groups', group!))).filter((f) => f !== 'index.html');
  return join(folder, 'groups', group!, pages.at(-1)!);
}

beforeAll(async () => {
  out = join(await tempDir(), 'export');
  await exportHtml(archive, out, { lang: 'en', timeZone: 'Asia/Shanghai' });
  browser = await launchChromium({ autoplay: true });
  page = await watchedPage(browser, (incident) => incidents.push(incident));
  // Registered through the debugging protocol before any of the page's own content: the page's CSP allows no
  // script, and this listener is not the page's.
  await page.context().addInitScript(() => {
    window.__violations = [];
    (globalThis as unknown as { addEventListener(t: string, f: (e: { violatedDirective: string; blockedURI: string }) => void): void }).addEventListener(
      'securitypolicyviolation',
      (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
});

afterAll(async () => {
  await browser?.close();
});

describe('an HTML export with media, in Chromium', () => {
  it('shows the images from the export itself: the thumbnail inline, linking to the original', async () => {
    incidents = [];
    await page.goto(pathToFileURL(await storyPage(out)).href);
    const images = await page.$$eval('img', (els) =>
      els.map((img) => ({ src: img.getAttribute('src'), link: img.closest('a')?.getAttribute('href'), width: (img as unknown as { naturalWidth: number }).naturalWidth })),
    );
    expect(images).toEqual([
      { src: `../../media/${mediaExportName(PHOTO_THUMB.sha256, 'image/jpeg')}`, link: `../../media/${mediaExportName(PHOTO.sha256, 'image/png')}`, width: 32 },
    ]);
    // The original opens from the export, byte for byte what the archive stored.
    expect(await readFile(join(out, 'media', mediaExportName(PHOTO.sha256, 'image/png')))).toEqual(PHOTO.bytes);
    expect(incidents).toEqual([]);
    expect(await page.evaluate(() => window.__violations)).toEqual([]);
  });

  it('plays the voice message and the video, and offers a voice the browser cannot play to save', async () => {
    incidents = [];
    await page.goto(pathToFileURL(await storyPage(out)).href);
    expect(await page.$$eval('audio', (els) => els.map((a) => a.getAttribute('src')))).toEqual([`../../media/${mediaExportName(VOICE.sha256, 'audio/wav')}`]);
    expect(await page.$$eval('video', (els) => els.map((v) => [v.getAttribute('src'), v.getAttribute('poster')]))).toEqual([
      [`../../media/${mediaExportName(CLIP.sha256, 'video/webm')}`, `../../media/${mediaExportName(CLIP_THUMB.sha256, 'image/jpeg')}`],
    ]);
    for (const selector of ['audio', 'video']) {
      // Playing is the proof: the file loaded under the page's CSP and its format decoded.
      const played = await page.evaluate(async (sel) => {
        const el = document.querySelector<MediaEl>(sel)!;
        el.muted = true;
        await el.play();
        for (let i = 0; i < 100 && el.currentTime === 0; i++) await new Promise((r) => setTimeout(r, 50));
        el.pause();
        return { time: el.currentTime, duration: el.duration };
      }, selector);
      expect(played.time, selector).toBeGreaterThan(0);
      expect(played.duration, selector).toBeCloseTo(1, 0);
    }
    // SILK: a link to the saved file and a sentence, no player; the duration and size are in the card.
    const silk = await page.$eval(`a[href$="${SILK.sha256}.silk"]`, (a) => a.closest('.card')!.textContent);
    expect(silk).toContain(dictionary('en').cannotPlay);
    expect(silk).toContain('0:03');
    expect(silk).toContain(`${SILK.bytes.length} B`);
    expect(incidents).toEqual([]);
    expect(await page.evaluate(() => window.__violations)).toEqual([]);
  });

  it('links a file by its content, with the name from the message only as a safe download name', async () => {
    const doc = `../../media/${mediaExportName(DOC_FIXTURE.sha256, 'application/pdf')}`;
    await page.goto(pathToFileURL(await storyPage(out)).href);
    const link = await page.$eval(`a[href="${doc}"]`, (a) => ({ download: a.getAttribute('download'), card: a.closest('.card')!.textContent }));
    expect(link.download).toBe('passwd_b_报告.pdf');
    expect(link.card).toContain('../../etc/passwd<b>报告.pdf');
    // Only content-addressed names in the export's media folder.
    const files = (await readdir(join(out, 'media'), { recursive: true })).filter((f) => f.includes('.'));
    expect(files.sort()).toEqual(
      [[PHOTO, 'image/png'], [PHOTO_THUMB, 'image/jpeg'], [VOICE, 'audio/wav'], [SILK, 'audio/silk'], [CLIP, 'video/webm'], [CLIP_THUMB, 'image/jpeg'], [DOC_FIXTURE, 'application/pdf']]
        .map(([f, mime]) => mediaExportName((f as typeof PHOTO).sha256, mime as string))
        .sort(),
    );
  });

  it('says in words why each media that is not stored is missing, and loads nothing from Tencent', async () => {
    const d = dictionary('en');
    const html = await readFile(await storyPage(out), 'utf8');
    await page.goto(pathToFileURL(await storyPage(out)).href);
    const placeholders = await page.$$eval('[data-media="missing"]', (els) => els.map((p) => [p.closest('.m')!.id, p.textContent]));
    const seq = (i: number) => `seq-${story[i]!.MsgSeq}`;
    expect(placeholders.filter(([id]) => Number(id!.slice(4)) >= story[0]!.MsgSeq)).toEqual([
      [seq(5), d.mediaMissing.expired],
      [seq(6), d.mediaMissing.failed],
      [seq(7), d.mediaMissing['too-large']],
      [seq(8), d.mediaMissing.skipped],
      [seq(9), d.mediaMissing.pending],
      [seq(10), d.mediaMissing['no-url']],
    ]);
    // Stored media name no Tencent URL; the expired image's link is gone; the others keep it as a link (never loaded).
    for (const i of [0, 1, 3, 4, 5]) expect(html.slice(html.indexOf(`id="${seq(i)}"`)).split('id="seq-')[1]).not.toContain('myqcloud.com');
    expect(html).toContain('file-failed?sign=f');
    expect(html).not.toMatch(/<(img|audio|video)[^>]+src="https?:/u);
  });

  it('puts the placeholders in Chinese in a Chinese transcript, and leaves media out with --media none', async () => {
    const zh = join(await tempDir(), 'zh');
    const result = await exportHtml(archive, zh, { lang: 'zh-CN', media: 'none' });
    expect(existsSync(join(zh, 'media'))).toBe(false);
    expect(result.media).toEqual({ files: 0, bytes: 0, linked: 0, copied: 0 });
    const html = await readFile(await storyPage(zh), 'utf8');
    const d = dictionary('zh-CN');
    for (const text of [d.mediaMissing.expired, d.mediaMissing.failed, d.mediaMissing['too-large'], d.mediaMissing.skipped, d.mediaMissing.pending, d.mediaMissing['no-url']]) {
      expect(html).toContain(text);
    }
    expect(html.split(d.mediaNotExported).length - 1).toBe(5); // photo, two voices, video, document
    expect(html).not.toMatch(/<(img|audio|video)/u);
  });

  it('writes pages with media that pass html-validate', async () => {
    const report = await new HtmlValidate({ extends: ['html-validate:recommended'] }).validateFile(await storyPage(out));
    expect(report.results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
  });
});

describe('how media files get into an export', () => {
  it('hard-links them on the archive drive: the same file, no space taken twice', async () => {
    const { archive: a } = await archiveWithMedia();
    const target = join(await tempDir(), 'linked');
    const result = await exportHtml(a, target, { lang: 'en' });
    expect(result.media).toEqual({ files: 7, bytes: expect.any(Number), linked: 7, copied: 0 });
    const exported = statSync(join(target, 'media', mediaExportName(CLIP.sha256, 'video/webm')));
    expect(exported.ino).toBe(statSync(mediaFilePath(a.path, CLIP.sha256)).ino);
  });

  it.runIf(existsSync('/dev/shm'))('copies them onto another drive', async () => {
    const { archive: a } = await archiveWithMedia('/dev/shm');
    const target = join(await tempDir(), 'copied');
    const result = await exportHtml(a, target, { lang: 'en' });
    expect(result.media).toMatchObject({ files: 7, linked: 0, copied: 7 });
    const path = join(target, 'media', mediaExportName(CLIP.sha256, 'video/webm'));
    expect(statSync(path).ino).not.toBe(statSync(mediaFilePath(a.path, CLIP.sha256)).ino);
    expect(await readFile(path)).toEqual(CLIP.bytes);
  });

  it('copies when the drive refuses hard links, and fails the export on any other error', async () => {
    const { archive: a } = await archiveWithMedia();
    const refused = (code: string) => ({
      link: () => Promise.reject(Object.assign(new Error(code), { code })),
      copyFile: (from: string, to: string, mode: number) => import('node:fs/promises').then((fs) => fs.copyFile(from, to, mode)),
    });
    const fat = await exportHtml(a, join(await tempDir(), 'fat'), { lang: 'en', mediaOps: refused('EPERM') });
    expect(fat.media).toMatchObject({ linked: 0, copied: 7 });
    const target = join(await tempDir(), 'broken');
    await expect(exportHtml(a, target, { lang: 'en', mediaOps: refused('EIO') })).rejects.toThrow(/EIO/u);
    expect(existsSync(target)).toBe(false);
  });
});
