// The reader's media in a browser, against the real worker: thumbnails inline from tim-media://<sha256> (main's
// own handler, answered through the bridge as Electron's protocol.handle would), the original in the in-app
// viewer, audio and video that play, "Save as…" and "Show in folder" for a file and for a voice the browser
// cannot play, and a sentence for each media that is not stored. No request leaves the app, no console error or
// CSP violation (the page's CSP is the app's: images and media from tim-media: only). Then the Export screen's
// media choice: an HTML export with the stored files, and one without them.

import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dictionary } from '../../app/export/i18n';
import { mediaFilePath } from '../../app/media/model';
import { mediaUrl } from '../../app/media/url';
import type { GroupMsg } from '../../app/im/wire';
import { SDKAPPID } from '../export/fixtures';
import { archiveWithMedia, CLIP, DOC_FIXTURE, PHOTO, PHOTO_THUMB, SILK, VOICE } from '../media/store';
import { appTestsMissing, launchBridge, type LaunchedBridge } from './bridge/launch';
import { type AppPage, bridgeCall, buildRenderer, launchChromium, nav, openApp, openInReader, routeMedia, screenshot } from './harness';

const skip = appTestsMissing();
if (skip) console.warn(`Skipping the media end-to-end test: ${skip}`);

interface MediaEl {
  muted: boolean;
  currentTime: number;
  duration: number;
  play(): Promise<void>;
  pause(): void;
}

describe.skipIf(skip !== undefined)('media in the reader, in a browser', { timeout: 120_000 }, () => {
  let dir: string;
  let archivePath: string;
  let bridge: LaunchedBridge;
  let browser: Browser;
  let app: AppPage;
  let page: Page;
  let story: GroupMsg[];
  const mediaRequests: string[] = [];
  /** The reader shows a window of a long list: jump to the story's i-th message as a person would. */
  const jumpTo = async (i: number) => {
    await page.getByLabel('Jump to message number').fill(String(story[i]!.MsgSeq));
    await page.getByLabel('Jump to message number').press('Enter');
    await page.locator(`[data-seq="${story[i]!.MsgSeq}"]`).first().waitFor();
  };
  const elsewhere: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tim-e2e-media-'));
    const { archive, story: messages } = await archiveWithMedia();
    story = messages;
    archivePath = archive.path;
    await archive.close();
    const dist = join(dir, 'dist');
    await buildRenderer(dist);
    bridge = await launchBridge({ dataDir: join(dir, 'data'), distDir: dist, keychainService: 'TIM Group Backup e2e media', throwawayKeyring: true });
    await bridgeCall(bridge.url, 'saveProfile', { profile: { name: 'Media', endpoint: 'singapore', sdkAppId: SDKAPPID, admin: 'administrator', rate: 10, archivePath } });
    browser = await launchChromium();
    app = await openApp(browser, 'about:blank', { locale: 'en-US', colorScheme: 'light' });
    page = app.page;
    await routeMedia(app.context, bridge.url, mediaRequests);
    page.on('request', (r) => {
      if (!r.url().startsWith(bridge.url) && !r.url().startsWith('tim-media:')) elsewhere.push(r.url());
    });
    await page.goto(bridge.url);
    await page.locator('nav button[data-screen="reader"]').click();
    // Each test jumps to its message: the transcript opens at the newest.
    await openInReader(page, '媒体 media (media)');
  });

  afterAll(async () => {
    await browser?.close();
    await bridge?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows the thumbnail inline and opens the original in the in-app viewer', async () => {
    await jumpTo(0);
    const thumb = page.locator(`img[src="${mediaUrl(PHOTO_THUMB.sha256)}"]`);
    await expect.poll(() => thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(32);
    await thumb.click();
    const viewer = page.getByRole('dialog');
    await viewer.waitFor();
    const original = viewer.locator(`img[src="${mediaUrl(PHOTO.sha256)}"]`);
    await expect.poll(() => original.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(64);
    expect(await viewer.textContent()).toContain('64×48');
    await screenshot(page, 'reader-media-viewer-en-light');
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    expect(mediaRequests).toEqual(expect.arrayContaining([mediaUrl(PHOTO_THUMB.sha256), mediaUrl(PHOTO.sha256)].map((u) => expect.stringMatching(new RegExp(`^${u}/?$`, 'u')))));
    expect(app.problems).toEqual([]);
  });

  it('plays the voice message and the video it can play', async () => {
    for (const [selector, sha, i] of [['audio', VOICE.sha256, 1], ['video', CLIP.sha256, 3]] as const) {
      await jumpTo(i);
      const el = page.locator(`${selector}[src="${mediaUrl(sha)}"]`);
      const played = await el.evaluate(async (node) => {
        const m = node as unknown as MediaEl;
        m.muted = true;
        await m.play();
        for (let i = 0; i < 100 && m.currentTime === 0; i++) await new Promise((r) => setTimeout(r, 50));
        m.pause();
        return { time: m.currentTime, duration: m.duration };
      });
      expect(played.time, selector).toBeGreaterThan(0);
      expect(played.duration, selector).toBeCloseTo(1, 0);
    }
    expect(app.problems).toEqual([]);
  });

  it('offers a voice it cannot play and a file to save or show, by content only', async () => {
    await jumpTo(2);
    const silk = page.locator('.card').filter({ hasText: dictionary('en').cannotPlay });
    expect(await silk.textContent()).toContain(`0:03 · ${SILK.bytes.length} B`);
    expect(await silk.locator('audio').count()).toBe(0);
    await silk.getByRole('button', { name: 'Save as…' }).click();
    await silk.getByRole('status').waitFor();

    await jumpTo(4);
    const doc = page.locator('.card').filter({ hasText: '../../etc/passwd<b>报告.pdf' });
    await doc.getByRole('button', { name: 'Save as…' }).click();
    const saved = doc.getByRole('status');
    await saved.waitFor();
    const savedPath = (await saved.textContent())!.replace(/^Saved to /u, '');
    expect(savedPath).toMatch(/passwd_b_报告\.pdf$/u);
    expect(await readFile(savedPath)).toEqual(DOC_FIXTURE.bytes);
    await doc.getByRole('button', { name: 'Show in folder' }).click();
    // Main was asked by sha256 only, and revealed the stored file itself.
    await expect.poll(async () => (await bridge.shellCalls()).map((c) => [c.op, c.arg])).toEqual(
      expect.arrayContaining([
        ['saveMedia', { sha256: SILK.sha256 }],
        ['saveMedia', { sha256: DOC_FIXTURE.sha256, name: 'passwd_b_报告.pdf' }],
        ['showMedia', { sha256: DOC_FIXTURE.sha256 }],
      ]),
    );
    expect(mediaFilePath(archivePath, DOC_FIXTURE.sha256)).toContain('.media');
    expect(app.problems).toEqual([]);
  });

  it('says why each media that is not stored is missing, and loads nothing from anywhere else', async () => {
    const d = dictionary('en');
    const texts = new Set<string>();
    for (let i = 5; i <= 10; i++) {
      await jumpTo(i);
      for (const text of await page.locator(`[data-seq="${story[i]!.MsgSeq}"] [data-media="missing"]`).allTextContents()) texts.add(text);
    }
    expect([...texts].sort()).toEqual((['expired', 'failed', 'too-large', 'skipped', 'pending', 'no-url'] as const).map((s) => d.mediaMissing[s]).sort());
    expect(await page.locator('img[src^="http"], audio[src^="http"], video[src^="http"]').count()).toBe(0);
    expect(elsewhere).toEqual([]);
    expect(app.problems).toEqual([]);
  });

  it('exports the group as HTML with its stored media, or without them when asked', async () => {
    const d = dictionary('en');
    /** Exports the media group as HTML to the next destination the dialog stand-in offers; the folder and the banner. */
    const exportHtml = async (choice: RegExp) => {
      await nav(page, 'export');
      await page.getByRole('checkbox', { name: /媒体 media/u }).check();
      await page.getByLabel(/HTML —/u).check();
      await page.getByLabel(choice).check();
      const destination = () => page.getByTestId('destination').allTextContents();
      const before = await destination();
      await page.getByRole('button', { name: 'Choose…' }).click();
      await expect.poll(destination).not.toEqual(before);
      await page.locator('main').getByRole('button', { name: 'Export', exact: true }).click();
      const done = page.getByTestId('export-done');
      await done.waitFor({ timeout: 60_000 });
      const folder = dirname((await done.locator('code').textContent())!);
      const pages = (await readdir(folder, { recursive: true })).filter((f) => f.endsWith('.html'));
      const html = (await Promise.all(pages.map((f) => readFile(join(folder, f), 'utf8')))).join('');
      return { folder, html, banner: (await done.textContent())! };
    };

    const stored = [PHOTO, PHOTO_THUMB, VOICE, SILK, CLIP, DOC_FIXTURE];
    const withMedia = await exportHtml(/Include the ones stored in the archive/u);
    const files = (await readdir(join(withMedia.folder, 'media'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    const copied = new Map(await Promise.all(files.map(async (e) => [e.name.replace(/\..*$/u, ''), await readFile(join(e.parentPath, e.name))] as const)));
    for (const f of stored) expect(copied.get(f.sha256), f.mime).toEqual(f.bytes);
    expect(withMedia.banner).toMatch(new RegExp(`with ${copied.size} media files \\(`, 'u'));
    expect(withMedia.html).toContain(`media/${PHOTO.sha256.slice(0, 2)}/${PHOTO.sha256}.png`);
    expect(withMedia.html).not.toContain(d.mediaNotExported);

    const without = await exportHtml(/Leave them out/u);
    expect(without.folder).not.toBe(withMedia.folder);
    expect(existsSync(join(without.folder, 'media'))).toBe(false);
    expect(without.banner).not.toMatch(/media file/u);
    expect(await page.getByTestId('export-media').count()).toBe(0);
    expect(without.html).toContain(d.mediaNotExported);
    expect(without.html).not.toContain(PHOTO.sha256 + '.png');
    expect(app.problems).toEqual([]);
  });
});
