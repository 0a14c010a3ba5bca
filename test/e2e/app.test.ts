// The desktop app end to end, without Electron (its binary cannot be downloaded here): the production build of
// the renderer in Debian's Chromium, talking through the development bridge — the same IPC contract, the same
// argument validators — to the real worker (engine, archive, search, export), which talks to the Tencent
// emulator. The bridge runs in a throw-away D-Bus session with an unlocked GNOME Keyring, so SecretKeys go through
// the real OS keychain code. One story, in order: first run, credentials, demo, groups, backup with cancel and
// resume, coverage and "fetch missing", search, a hit in context, a 100k-message group, export, and screenshots
// of every screen in both languages and both themes (test-results/screenshots/).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../app/ipc/contract';
import { type Emulator, startEmulator } from '../emulator';
import { appTestsMissing, launchBridge, type LaunchedBridge } from './bridge/launch';
import { APP_CSP } from './bridge/server';
import { type AppPage, bridgeCall, buildRenderer, launchChromium, nav, openApp, screenshot, shots } from './harness';

const SDKAPPID = 1400000777;
const KEY = 'e2e-0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';
const BIG = 100_000;
/** The large group's newest message: one link the app opens (https) and one it cannot (http), shown as text. */
const LINKS = { https: 'https://example.com/guide', http: 'http://example.com/old-page' };
const NEWEST_TEXT = `Docs: ${LINKS.https} and the old page ${LINKS.http}`;
const SEED = fileURLToPath(new URL('./fixtures/seed-archive.ts', import.meta.url));
const COMMUNITY = '@TGS#_@TGS#cE2E';
const TOPICS = [`${COMMUNITY}@TOPIC#_general`, `${COMMUNITY}@TOPIC#_公告`];

const skip = appTestsMissing();
if (skip) console.warn(`Skipping the end-to-end tests: ${skip}`);

describe.skipIf(skip !== undefined)('the app in a browser, against the real worker and the emulator', { timeout: 120_000 }, () => {
  let dir: string;
  let emulator: Emulator;
  let bridge: LaunchedBridge;
  let browser: Browser;
  let app: AppPage;
  let page: Page;
  let seeded: Promise<string>;
  /** Search requests the page sent, in order (to prove none is sent mid-composition). */
  const searches: string[] = [];
  /** readPage / context requests' page sizes (the reader never asks for everything). */
  const pageSizes: number[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tim-e2e-'));
    // The large group's archive is written by a child process while the first steps run.
    seeded = seedArchive(join(dir, 'seed.sqlite'));
    emulator = await startEmulator({
      latencyMs: 20,
      apps: [
        {
          sdkAppId: SDKAPPID,
          secretKey: KEY,
          admins: ['administrator'],
          groups: [
            { groupId: 'zh-chat', type: 'Public', name: '中文闲聊群', messages: 1200, members: 80, recalledShare: 0.03, deletedShare: 0.01, seed: 5 },
            { groupId: 'en-chat', type: 'Work', name: 'English Chat', messages: 600, members: 20, seed: 6 },
            { groupId: 'big-group', type: 'Public', name: '大群 Big Group', messages: BIG, seed: 7 },
            { groupId: 'live-room', type: 'AVChatRoom', name: '直播 Live', messages: 0, members: 300 },
            { groupId: COMMUNITY, type: 'Community', name: '开发者社区', messages: 60, members: 40, seed: 8, topics: TOPICS },
            { groupId: 'week', type: 'Meeting', name: 'Retention 7 days', messages: 400, seed: 9, spanDays: 30, retentionDays: 7 },
          ],
        },
      ],
    });
    const dist = join(dir, 'dist');
    await buildRenderer(dist);
    bridge = await launchBridge({ dataDir: join(dir, 'data'), distDir: dist, keychainService: 'TIM Group Backup e2e', throwawayKeyring: true });
    browser = await launchChromium();
    app = await openApp(browser, bridge.url, { locale: 'en-US', colorScheme: 'light' });
    page = app.page;
    page.setDefaultTimeout(20_000);
    page.on('request', (req) => {
      const call = invoked(req.url(), req.postData());
      const op = call?.op;
      const arg = call?.arg as { query?: string; limit?: number; before?: number; after?: number } | undefined;
      if (op === 'search') searches.push(arg?.query ?? '');
      if (op === 'readPage') pageSizes.push(arg?.limit ?? 0);
      if (op === 'context') pageSizes.push((arg?.before ?? 0) + (arg?.after ?? 0) + 1);
    });
  }, 120_000);

  afterEach(async (ctx) => {
    // What the page showed when a step failed: the first thing to look at.
    if (ctx.task.result?.state === 'fail') await screenshot(page, `failed-${ctx.task.name.slice(0, 40).replace(/\W+/gu, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await bridge?.stop();
    await emulator?.close();
    await seeded?.catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ships a build whose page has only external scripts and styles, under the app CSP', async () => {
    const html = await readFile(join(dir, 'dist', 'index.html'), 'utf8');
    expect(html).toContain(APP_CSP);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/u);
    expect(html).not.toMatch(/<style|\sstyle=/u);
  });

  it('opens on the welcome screen on first run, keyboard first', async () => {
    await page.getByRole('heading', { name: 'Welcome to TIM Group Backup' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Skip to content');
    await page.getByRole('button', { name: 'Try the demo' }).waitFor();
    expect(app.problems).toEqual([]);
  });

  it('validates the profile fields inline', async () => {
    await page.getByRole('button', { name: 'Test and save' }).click();
    await expectInvalid(page.getByLabel('Profile name'), 'Give the profile a name.');
    await expectInvalid(page.getByLabel('SDKAppID'), 'The SDKAppID is a whole number');
    await expectInvalid(page.getByLabel('SecretKey'), 'Enter the SecretKey');
    await page.getByLabel('SDKAppID').fill('14000abc');
    await page.getByLabel('SDKAppID').blur();
    await expectInvalid(page.getByLabel('SDKAppID'), 'The SDKAppID is a whole number');
    await page.getByLabel('Requests per second').fill('500');
    await page.getByLabel('Requests per second').blur();
    await expectInvalid(page.getByLabel('Requests per second'), 'from 1 to 200');
    await page.getByLabel('Region').selectOption('custom');
    await page.getByLabel('Base URL').fill('ftp://example.com');
    await page.getByLabel('Base URL').blur();
    await expectInvalid(page.getByLabel('Base URL'), 'starting with https://');
  });

  it('says exactly what is wrong with each bad credential, and connects with good ones', async () => {
    // Slow enough that the backup is still running after a reload (the backup step cancels it).
    await fillProfile(page, { name: 'Community', endpoint: emulator.url, sdkAppId: SDKAPPID, admin: 'administrator', key: KEY, rate: 12 });

    await page.getByLabel('SecretKey').fill(`${KEY.slice(0, -4)}beef`);
    await expectProblem(page, 'key', 'Wrong SecretKey');
    await expectInvalid(page.getByLabel('SecretKey'), 'Wrong SecretKey');
    await page.getByLabel('SecretKey').fill(KEY);

    await page.getByLabel('App admin account').fill('nobody');
    await expectProblem(page, 'not-admin', 'not an App admin');
    await expectInvalid(page.getByLabel('App admin account'), 'not an App admin');
    await page.getByLabel('App admin account').fill('administrator');

    await page.getByLabel('SDKAppID').fill('1400999999');
    await expectProblem(page, 'sdkappid', 'Unknown SDKAppID');
    await page.getByLabel('SDKAppID').fill(String(SDKAPPID));

    await page.getByLabel('Base URL').fill(`http://127.0.0.1:${await closedPort()}`);
    await expectProblem(page, 'network', 'could not be reached');
    await page.getByLabel('Base URL').fill(emulator.url);

    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByTestId('test-result').filter({ hasText: 'Connected. The app has 6 groups' }).waitFor();
    expect(app.problems).toEqual([]);
  });

  it('saves the profile (its key in the keychain) and lists the app’s groups, each topic under its group', async () => {
    await page.getByRole('button', { name: 'Test and save' }).click();
    await page.getByRole('heading', { name: 'Groups' }).waitFor();
    // Focus follows the action to its result: the section it opened.
    await expect.poll(() => focusedText(page)).toBe('Groups');
    await row(page, 'zh-chat').waitFor();
    expect(await row(page, 'zh-chat').textContent()).toContain('中文闲聊群');
    // A live-stream group keeps no history: greyed out, not selectable, and the reason is given.
    const live = row(page, 'live-room');
    expect(await live.getAttribute('class')).toContain('disabled');
    expect(await live.getByRole('checkbox').isDisabled()).toBe(true);
    expect(await live.textContent()).toContain('keeps no message history');
    const profiles = await bridgeCall<Profile[]>(bridge.url, 'listProfiles');
    expect(profiles.map((p) => p.name)).toEqual(['Community']);
    expect(await bridgeCall<boolean>(bridge.url, 'hasSecretKey', { profile: 'Community' })).toBe(true);
    expect(JSON.stringify(profiles)).not.toContain(KEY);

    // A Community group's topics keep their own history: each is listed under its group, as a topic.
    for (const topic of TOPICS) {
      await row(page, topic).waitFor();
      expect(await row(page, topic).textContent()).toContain('Topic');
    }
    const order = await page.locator('[data-group]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-group')));
    expect(order.slice(order.indexOf(COMMUNITY), order.indexOf(COMMUNITY) + 3)).toEqual([COMMUNITY, ...TOPICS]);
    expect(await row(page, TOPICS[1]!).textContent()).toContain('公告');
    // Nothing selected: the one primary action is "Back up all groups", never a disabled "Back up 0 groups".
    expect(await page.getByRole('button', { name: /Back up 0/u }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Back up all groups' }).getAttribute('class')).toContain('primary');

    await page.getByLabel('Filter groups').fill('english');
    await page.getByText('1 of 8 groups').waitFor();
    expect(await page.locator('[data-group]').count()).toBe(1);
    await page.getByLabel('Filter groups').fill('');
  });

  it('saves a profile only once its connection works (or when told to), deletes it through an in-app dialog, and calls a network failure by its name', async () => {
    await nav(page, 'setup');
    // The page does not open on the profile in use: nothing there can be overwritten by typing.
    expect(await page.getByLabel('Profile name').count()).toBe(0);
    await page.getByRole('button', { name: 'Add a profile' }).click();
    await expect.poll(() => focusedText(page)).toBe('New profile');
    await fillProfile(page, { name: 'Offline', endpoint: `http://127.0.0.1:${await closedPort()}`, sdkAppId: SDKAPPID, admin: 'administrator', key: KEY, rate: 12 });
    await page.getByRole('button', { name: 'Test and save' }).click();
    await page.locator('[data-testid="test-result"][data-problem="network"]').waitFor();
    expect((await bridgeCall<Profile[]>(bridge.url, 'listProfiles')).map((p) => p.name)).toEqual(['Community']);
    await page.getByRole('button', { name: 'Save without a working connection' }).click();
    await expect.poll(async () => (await bridgeCall<Profile[]>(bridge.url, 'listProfiles')).map((p) => p.name).sort()).toEqual(['Community', 'Offline']);

    // With no way to reach Tencent, Groups says so — not "no groups", not an error "inside the app".
    await page.getByLabel('Profile', { exact: true }).selectOption('Offline');
    await nav(page, 'groups');
    const note = page.locator('[role="alert"][data-kind="network"]');
    await note.waitFor({ timeout: 30_000 });
    expect(await note.textContent()).toContain('Tencent could not be reached');
    expect(await page.locator('main').textContent()).not.toMatch(/no groups yet|inside the app/u);
    await page.getByLabel('Profile', { exact: true }).selectOption('Community');
    await row(page, 'zh-chat').waitFor();

    await nav(page, 'setup');
    await page.getByRole('button', { name: 'Delete “Offline”' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Delete the profile “Offline”');
    // Escape closes it and deletes nothing; focus goes back to where it was.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => focusedText(page)).toBe('Delete');
    await page.getByRole('button', { name: 'Delete “Offline”' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(async () => (await bridgeCall<Profile[]>(bridge.url, 'listProfiles')).map((p) => p.name)).toEqual(['Community']);
    await nav(page, 'groups');
    expect(app.problems).toEqual([]);
  });

  it('tries the demo without a Tencent account, then switches back', async () => {
    await nav(page, 'setup');
    await page.getByRole('button', { name: 'Try the demo' }).click();
    await page.getByRole('heading', { name: 'Groups' }).waitFor();
    await expect.poll(() => focusedText(page)).toBe('Groups');
    await row(page, '@TGS#2DEMO0CN1').waitFor();
    // The demo's Community topics are listed (and so backed up) too.
    await row(page, '@TGS#_@TGS#cDEMOCOMMUNITY@TOPIC#_general').waitFor();
    expect(await page.getByLabel('Profile', { exact: true }).inputValue()).toBe('Demo');
    await page.getByLabel('Profile', { exact: true }).selectOption('Community');
    await row(page, 'zh-chat').waitFor();
    expect(app.problems).toEqual([]);
  });

  it('backs up the selected groups with visible progress, cancels, and resumes', async () => {
    // The large group's archive, seeded meanwhile, becomes this profile's archive before its first backup.
    const [profile] = await bridgeCall<Profile[]>(bridge.url, 'listProfiles');
    await mkdir(dirname(profile!.archivePath), { recursive: true });
    await rename(await seeded, profile!.archivePath);
    await page.getByRole('button', { name: 'Refresh from Tencent' }).click();
    await row(page, 'big-group').filter({ hasText: '100,000 messages' }).waitFor();

    await row(page, 'zh-chat').getByRole('checkbox').check();
    await row(page, 'en-chat').getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Back up 2 groups' }).click();
    await page.getByRole('heading', { name: 'Backup' }).waitFor();

    const overall = page.getByRole('progressbar', { name: 'Overall progress' });
    await expect.poll(async () => Number((await overall.getAttribute('value')) ?? 0), { timeout: 30_000 }).toBeGreaterThanOrEqual(10);
    const status = await page.locator('.status[aria-live="polite"]').first().textContent();
    expect(status).toMatch(/\d+% · [\d,]+ messages per second/u);
    expect(status).not.toMatch(/window/u);
    expect(Number(await overall.getAttribute('max'))).toBeGreaterThan(0);
    expect(await page.getByTestId('counters').textContent()).toMatch(/messages saved · [\d,]+ requests to Tencent · \d+ repeated/u);
    expect(await page.locator('.group[data-state]').count()).toBe(2);

    // A reloaded (or reopened) window finds the backup still running, shows it, and follows it on.
    const reached = Number(await overall.getAttribute('value'));
    await page.reload();
    await page.getByRole('heading', { name: 'Backup' }).waitFor();
    await expect.poll(async () => Number((await overall.getAttribute('value')) ?? 0), { timeout: 30_000 }).toBeGreaterThan(reached);

    await page.getByRole('button', { name: 'Cancel backup' }).click();
    const summary = page.locator('[data-outcome="cancelled"]');
    await summary.waitFor();
    // The truth about a cancel: the heading says cancelled, unfinished groups are stopped (not done), no bar
    // animates on a stopped group, the groups' counts add up to the total, and focus is on the outcome.
    await expect.poll(() => focusedText(page)).toBe('Backup cancelled');
    expect(await summary.textContent()).toContain('it continues where this backup stopped');
    expect(await summary.textContent()).not.toMatch(/Backup finished|inside the app|Seq/u);
    const states = await page.locator('.group[data-state]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-state')));
    expect(states).toContain('stopped');
    expect(states).not.toContain('fetching');
    expect(await page.locator('.group[data-state="done"]').evaluateAll((gs) => gs.every((g) => g.textContent?.includes('100%')))).toBe(true);
    expect(await page.locator('.group progress:not([value])').count()).toBe(0);
    const perGroup = await page.locator('.group .num').evaluateAll((ls) => ls.reduce((n, l) => n + Number(/([\d,]+) new messages/u.exec(l.textContent ?? '')![1]!.replaceAll(',', '')), 0));
    const total = Number(/([\d,]+) new messages? from/u.exec((await summary.textContent())!)![1]!.replaceAll(',', ''));
    expect(perGroup).toBe(total);
    await screenshot(page, 'backup-cancelled-en-light');

    // What the cancelled run left out shows in the coverage view, and "fetch missing" gets exactly that.
    await nav(page, 'groups');
    await row(page, 'zh-chat').getByRole('button', { name: 'Coverage' }).click();
    const verdict = page.getByTestId('verdict');
    await verdict.filter({ hasText: 'Incomplete' }).waitFor();
    expect(await page.locator('.ranges[data-kind="gaps"]').textContent()).toMatch(/No\. \d/u);
    // The map has an axis: numbers at its ends, and the dates of the messages held.
    expect(await page.locator('.axis').textContent()).toMatch(/No\. 1.*messages held: .+ – .+No\. 1,200/su);
    await page.getByRole('button', { name: 'Fetch the missing messages' }).click();
    await page.locator('[data-outcome="ok"]').waitFor({ timeout: 60_000 });
    await nav(page, 'coverage');
    await page.locator('[data-testid="verdict"][data-state="complete"]').filter({ hasText: 'Complete: every message of this group is archived.' }).waitFor();

    // The other group resumes where the cancelled run stopped.
    await nav(page, 'groups');
    await row(page, 'en-chat').getByRole('checkbox').check();
    await row(page, 'zh-chat').getByRole('checkbox').uncheck();
    await page.getByRole('button', { name: 'Back up 1 group' }).click();
    await page.locator('[data-outcome="ok"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('.summary').textContent()).toContain('Every selected group is backed up.');
    expect(app.problems).toEqual([]);
  });

  it('backs up a Community group with its topics, and tells "complete" from "complete since the history expired"', async () => {
    await nav(page, 'groups');
    await row(page, 'en-chat').getByRole('checkbox').uncheck();
    await row(page, COMMUNITY).getByRole('checkbox').check();
    await row(page, 'week').getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Back up 2 groups' }).click();
    await page.locator('[data-outcome="ok"]').waitFor({ timeout: 90_000 });
    // The group asked for brought its topics along: four streams, each done.
    expect(await page.locator('.group[data-state="done"]').count()).toBe(4);

    await nav(page, 'groups');
    await row(page, TOPICS[1]!).locator('[data-completeness="complete"]').waitFor();
    await row(page, TOPICS[1]!).getByRole('button', { name: 'Coverage' }).click();
    await page.getByRole('heading', { name: 'Coverage — 开发者社区 › 公告' }).waitFor();
    await page.locator('[data-testid="verdict"][data-state="complete"]').waitFor();

    // The 7-day group's oldest messages expired at Tencent before its first backup: nothing a backup can fetch,
    // and the app says exactly that, with the date — the same sentence the exports write.
    await nav(page, 'groups');
    await row(page, 'week').getByRole('button', { name: 'Coverage' }).click();
    const verdict = page.locator('[data-testid="verdict"][data-state="complete-since"]');
    await verdict.waitFor();
    expect(await verdict.textContent()).toMatch(/^Everything Tencent still has is archived\. History before .+ had already expired at Tencent before the first backup/u);
    expect(await page.getByRole('button', { name: 'Fetch the missing messages' }).count()).toBe(0);
    await nav(page, 'reader');
    await page.getByLabel('Group', { exact: true }).selectOption({ label: 'Retention 7 days (week)' });
    await page.getByRole('button', { name: 'Oldest' }).click();
    await page.getByTestId('expired-note').filter({ hasText: /older messages had expired at Tencent before the first backup/u }).waitFor();
    expect(app.problems).toEqual([]);
  });

  it('searches in Chinese, composed with an IME, with marked matches, paging as it scrolls', async () => {
    await nav(page, 'search');
    const box = page.getByRole('searchbox', { name: 'Search the archive' });
    await box.focus();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'da', selectionStart: 2, selectionEnd: 2 });
    await page.waitForTimeout(700);
    expect(searches.filter((q) => /da/u.test(q))).toEqual([]);
    await cdp.send('Input.insertText', { text: '大家' });
    await page.getByTestId('result-count').waitFor();
    expect(searches.at(-1)).toBe('大家');
    await expectMarks(page, (m) => m === '大家');
    // More than a page of hits: scrolling to the end asks for the next page (keyset), never everything at once.
    expect(await page.getByTestId('result-count').textContent()).toBe('50+ results');
    await page.locator('.hits').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.getByTestId('result-count').filter({ hasNotText: /^50\+/u }).waitFor();

    // Substring semantics: 你好 inside 大家你好啊 (and inside 你\u200d好: zero-width characters do not count).
    await searchFor(page, '你好');
    await expectMarks(page, (m) => m.replace(/[\u200b-\u200d\u2060\ufeff]/gu, '') === '你好');
    expect(app.problems).toEqual([]);
  });

  it('searches English words by prefix, with group, sender and order filters', async () => {
    await searchFor(page, 'tomo');
    await expectMarks(page, (m) => m.toLowerCase().startsWith('tomo'));

    await page.locator('details.filters summary').click();
    await page.getByRole('checkbox', { name: 'English Chat' }).check();
    await expect.poll(async () => [...new Set(await page.locator('.hit .group').allTextContents())]).toEqual(['English Chat']);

    const sender = (await page.locator('.hit').first().getAttribute('data-sender'))!;
    await page.getByLabel('Senders').fill(sender);
    await expect.poll(async () => [...new Set(await page.locator('.hit').evaluateAll((hs) => hs.map((h) => h.getAttribute('data-sender'))))]).toEqual([sender]);

    await page.getByLabel('Senders').fill('');
    const answered = page.waitForResponse((r) => invoked(r.url(), r.request().postData())?.op === 'search' && r.request().postData()?.includes('"order":"oldest"') === true);
    await page.getByLabel('Order').selectOption('oldest');
    await answered;
    await page.locator('.hit').first().waitFor();
    const times = await page.locator('.hit time').evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute('datetime')!)));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    await page.getByLabel('Order').selectOption('newest');
    await page.getByRole('checkbox', { name: 'All groups' }).check();

    // Filters alone are a search: "every recalled message in this group", no words needed.
    await page.getByRole('searchbox', { name: 'Search the archive' }).fill('');
    await page.getByRole('checkbox', { name: '中文闲聊群' }).check();
    const byFilters = page.waitForResponse((r) => {
      const call = invoked(r.url(), r.request().postData());
      const arg = call?.arg as { query: string; filter: { kinds?: string[] } } | undefined;
      return call?.op === 'search' && arg?.query === '' && arg.filter.kinds?.includes('recalled') === true;
    });
    await page.getByRole('checkbox', { name: 'recalled' }).check();
    await byFilters;
    await expect.poll(() => page.locator('.hit').first().getAttribute('data-kinds')).toContain('recalled');
    const kinds = await page.locator('.hit').evaluateAll((hs) => hs.map((h) => h.getAttribute('data-kinds') ?? ''));
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds.every((k) => k.split(' ').includes('recalled'))).toBe(true);
    expect([...new Set(await page.locator('.hit .group').allTextContents())]).toEqual(['中文闲聊群']);
    await page.getByRole('checkbox', { name: 'recalled' }).uncheck();
    await page.getByRole('checkbox', { name: 'All groups' }).check();
    expect(app.problems).toEqual([]);
  });

  it('opens a hit in the reader, in context', async () => {
    await searchFor(page, '大家');
    // A text message (a forwarded chat may match in Tencent's summary, which the reader shows only without the items).
    const hit = page.locator('.hit').filter({ hasNotText: '[forwarded' }).first();
    await hit.waitFor();
    const seq = await hit.getAttribute('data-seq');
    const group = await hit.locator('.group').textContent();
    // The results are one Tab stop; the arrow keys move between them.
    expect(await page.locator('.hit[tabindex="0"]').count()).toBe(1);
    await page.locator('.hit').first().focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('.hit:focus').getAttribute('data-hit')).toBe('1');
    expect(await page.locator('.hit[tabindex="0"]').getAttribute('data-hit')).toBe('1');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.locator('.hit:focus').getAttribute('data-hit')).toBe('0');
    await hit.click();
    await page.getByRole('heading', { name: `Messages of ${group}` }).waitFor();
    await expect.poll(() => focusedText(page)).toBe(`Messages of ${group}`);
    const focused = page.locator(`.m.focused[data-seq="${seq}"]`);
    await focused.waitFor();
    expect(await focused.textContent()).toContain('大家');
    await expectInView(page, focused);
    // Messages before and after it are there too.
    expect(await page.locator('.transcript .m').count()).toBeGreaterThan(5);
  });

  it('reads a 100,000-message group smoothly: paged, virtualized, with jumps to a Seq and a date', async () => {
    await page.getByLabel('Group', { exact: true }).selectOption({ label: '大群 Big Group (big-group)' });
    await page.locator(`.m[data-seq="${BIG}"]`).waitFor();
    await expectInView(page, page.locator(`.m[data-seq="${BIG}"]`));
    // Only what opens looks like a link: the https one; the http one is plain text (openExternal refuses it).
    const newest = page.locator(`.m[data-seq="${BIG}"]`);
    expect(await newest.textContent()).toContain(NEWEST_TEXT);
    expect(await newest.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([LINKS.https]);
    await newest.getByRole('link', { name: LINKS.https }).click();
    await expect.poll(async () => (await bridge.shellCalls()).filter((c) => c.op === 'openExternal').map((c) => (c.arg as { url: string }).url)).toEqual([LINKS.https]);
    const list = page.locator('.transcript');
    expect(await page.locator('.transcript .m').count()).toBeLessThan(150);

    // Scrolling up loads older pages as it goes, keeping the DOM small.
    const lowest = () => page.locator('.transcript .m').evaluateAll((els) => Math.min(...els.map((e) => Number(e.getAttribute('data-seq')))));
    for (let i = 0; i < 8; i++) {
      await list.hover();
      await page.mouse.wheel(0, -4000);
      await page.waitForTimeout(150);
    }
    await expect.poll(() => page.locator('.status').textContent()).not.toContain('Loading');
    expect(await lowest()).toBeLessThan(BIG - 200);
    expect(await page.locator('.transcript .m').count()).toBeLessThan(150);

    await page.getByLabel('Jump to message number').fill('54321');
    await page.getByLabel('Jump to message number').press('Enter');
    const target = page.locator('.m.focused[data-seq="54321"]');
    await target.waitFor();
    await expectInView(page, target);

    const when = (await target.locator('time').getAttribute('datetime'))!;
    const day = when.slice(0, 10);
    const previous = new Date(Date.parse(`${day}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Jump to date').fill(previous);
    await page.getByLabel('Jump to date').press('Enter');
    const first = page.locator('.m.focused');
    await first.filter({ has: page.locator(`time[datetime^="${previous}"]`) }).waitFor();
    expect(Number(await first.getAttribute('data-seq'))).toBeLessThan(54321);
    // The day it starts is announced by a separator right above it.
    await page.locator('.transcript .day time[datetime="' + previous + '"]').waitFor();
    expect(Math.max(...pageSizes)).toBeLessThanOrEqual(500);
    expect(app.problems).toEqual([]);
  });

  it('exports a group as HTML and shows it in the folder', async () => {
    await nav(page, 'export');
    await page.getByRole('checkbox', { name: '中文闲聊群' }).check();
    await page.getByLabel(/HTML —/u).check();
    await page.getByRole('button', { name: 'Choose…' }).click();
    await page.getByTestId('destination').filter({ hasText: 'export-1' }).waitFor();
    await page.locator('main').getByRole('button', { name: 'Export', exact: true }).click();
    const done = page.getByTestId('export-done');
    await done.waitFor({ timeout: 60_000 });
    expect(await done.textContent()).toMatch(/Exported [\d,]+ messages of 1 group\./u);
    const path = (await done.locator('code').textContent())!;
    expect(existsSync(path)).toBe(true);
    expect(await readFile(path, 'utf8')).toContain('中文闲聊群');
    // Group system messages read as what happened, with Tencent's fields one click away.
    const pages = (await readdir(dirname(path), { recursive: true })).filter((f) => f.endsWith('.html') && f.includes('/'));
    const text = (await Promise.all(pages.map((f) => readFile(join(dirname(path), f), 'utf8')))).join('');
    expect(text).toMatch(/<p class="tip">[^<]*(joined the group|left the group|invited|removed|admin|changed the group|Group update|Group notice)/u);
    expect(text).toContain('<details><summary>Data as Tencent sent it</summary>');
    // A custom message's payload (often escaped bytes) is behind that click too, never in the transcript's flow.
    expect(text).toMatch(/<details><summary>Data as Tencent sent it<\/summary><pre>/u);
    expect(text).not.toMatch(/<\/dl><pre>|<\/div><pre>/u);
    await page.getByRole('button', { name: 'Show in folder' }).click();
    await expect.poll(async () => (await bridge.shellCalls()).filter((c) => c.op === 'showInFolder').map((c) => (c.arg as { path: string }).path)).toEqual([path]);
    // "Open" opens the export itself (its index.html), through main's openPath.
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(async () => (await bridge.shellCalls()).filter((c) => c.op === 'openPath').map((c) => (c.arg as { path: string }).path)).toEqual([path]);
    expect(app.problems).toEqual([]);
  });

  it('switches language and theme, and follows the system’s: every screen at 1280×800 and 1024×640, zero axe violations', async () => {
    await page.getByLabel('Language', { exact: true }).selectOption('zh-CN');
    await page.getByRole('button', { name: '群组' }).waitFor();
    // Main is told, so that notifications, the quit question and the tray speak it too.
    await expect.poll(async () => (await bridge.shellCalls()).filter((c) => c.op === 'setLanguage').map((c) => c.arg).at(-1)).toEqual({ lang: 'zh-CN' });
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByLabel('主题', { exact: true }).selectOption('dark');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.getByLabel('语言', { exact: true }).selectOption('system');
    await page.getByLabel('Theme', { exact: true }).selectOption('system');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');

    for (const locale of ['en-US', 'zh-CN'] as const) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const shot = await openApp(browser, bridge.url, { locale, colorScheme });
        const p = shot.page;
        p.setDefaultTimeout(20_000);
        const tag = `${locale === 'en-US' ? 'en' : 'zh-CN'}-${colorScheme}`;
        await p.locator('nav').waitFor();
        expect(await p.locator('html').getAttribute('data-theme')).toBe(colorScheme);
        expect(await p.locator('html').getAttribute('lang')).toBe(locale === 'en-US' ? 'en' : 'zh-CN');
        // The window opens on the Overview (the home); Tencent's list (the archive's comes first, without the
        // live-stream group) is under Groups.
        await p.getByRole('heading', { name: locale === 'en-US' ? 'Overview' : '概览' }).waitFor();
        await nav(p, 'groups');
        await row(p, 'live-room').waitFor();
        if (locale === 'zh-CN') {
          // No English in the Chinese window: group types in the console's words, reasons in Chinese.
          expect(await row(p, 'live-room').textContent()).toContain('直播群');
          expect(await row(p, 'live-room').textContent()).not.toMatch(/AVChatRoom|Tencent/u);
          expect(await row(p, TOPICS[0]!).textContent()).toContain('话题');
        }
        await shots(p, `groups-${tag}`);
        await nav(p, 'backup');
        await shots(p, `backup-${tag}`);
        await nav(p, 'search');
        await p.getByRole('searchbox').fill('大家');
        await p.locator('.hit mark').first().waitFor();
        await shots(p, `search-${tag}`);
        // With the filters open in a small window, the results still get most of it.
        await p.setViewportSize({ width: 1024, height: 640 });
        await p.locator('details.filters summary').click();
        const visible = await p.locator('.hit').evaluateAll((hs) => hs.filter((h) => h.getBoundingClientRect().bottom <= 640 && h.getBoundingClientRect().top >= 0).length);
        expect(visible, 'hits in view with the filters open at 1024×640').toBeGreaterThanOrEqual(4);
        await screenshot(p, `search-filters-${tag}-1024`);
        await p.locator('details.filters summary').click();
        await p.setViewportSize({ width: 1280, height: 800 });
        await p.locator('.hit').first().click();
        await p.locator('.m.focused').waitFor();
        await shots(p, `reader-${tag}`, 800);
        await nav(p, 'export');
        await shots(p, `export-${tag}`);
        await nav(p, 'coverage');
        await p.locator('select').last().selectOption({ index: 1 });
        await p.getByTestId('verdict').waitFor();
        if (locale === 'zh-CN') expect(await p.getByTestId('verdict').textContent()).toMatch(/^(完整：|腾讯现存的消息已全部归档|不完整：|暂不确定：)[^A-Za-z]*$/u);
        await shots(p, `coverage-${tag}`);
        await nav(p, 'setup');
        await shots(p, `profiles-${tag}`);
        expect(shot.problems).toEqual([]);
        await shot.context.close();
      }
    }
  });
});

/** The operation and argument of a request the page's window.api sent to the bridge, if it is one. */
function invoked(url: string, body: string | null): { op: string; arg: unknown } | undefined {
  if (!url.endsWith('/__bridge/invoke') || !body) return undefined;
  const { channel, args } = JSON.parse(body) as { channel: string; args: unknown[] };
  return { op: channel.replace(/^tim:op:/u, ''), arg: args[0] };
}

function seedArchive(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SEED, path, String(SDKAPPID), 'big-group', '大群 Big Group', String(BIG), NEWEST_TEXT], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(path) : reject(new Error(`seeding the archive failed: ${err}`))));
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

function row(page: Page, groupId: string): Locator {
  return page.locator(`[data-group="${groupId}"]`);
}

async function focusedText(page: Page): Promise<string | undefined> {
  return (await page.locator(':focus').textContent())?.trim();
}

interface ProfileFields {
  name: string;
  endpoint: string;
  sdkAppId: number;
  admin: string;
  key: string;
  rate: number;
}

async function fillProfile(page: Page, f: ProfileFields): Promise<void> {
  await page.getByLabel('Profile name').fill(f.name);
  await page.getByLabel('Region').selectOption('custom');
  await page.getByLabel('Base URL').fill(f.endpoint);
  await page.getByLabel('SDKAppID').fill(String(f.sdkAppId));
  await page.getByLabel('App admin account').fill(f.admin);
  await page.getByLabel('SecretKey').fill(f.key);
  await page.getByLabel('Requests per second').fill(String(f.rate));
}

async function expectInvalid(input: Locator, message: string): Promise<void> {
  await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true');
  const ids = (await input.getAttribute('aria-describedby'))!.split(' ');
  const texts = await Promise.all(ids.map((id) => input.page().locator(`[id="${id}"]`).textContent()));
  expect(texts.join(' ')).toContain(message);
}

async function expectProblem(page: Page, problem: string, words: string): Promise<void> {
  await page.getByRole('button', { name: 'Test connection' }).click();
  const result = page.locator(`[data-testid="test-result"][data-problem="${problem}"]`);
  await result.waitFor();
  expect(await result.textContent()).toContain(words);
}

/** Types a query and waits for the answer to it (not the previous one still on screen) to be shown. */
async function searchFor(page: Page, query: string): Promise<void> {
  const box = page.getByRole('searchbox', { name: 'Search the archive' });
  await box.fill(query);
  const answered = page.waitForResponse((r) => {
    const call = invoked(r.url(), r.request().postData());
    return call?.op === 'search' && (call.arg as { query: string }).query === query;
  });
  await box.press('Enter');
  await answered;
  await page.locator('.hit mark').first().waitFor();
}

/** Every mark in the shown hits passes `ok`. */
async function expectMarks(page: Page, ok: (mark: string) => boolean): Promise<void> {
  const marks = await page.locator('.hit').evaluateAll((hits) => hits.map((h) => [...h.querySelectorAll('mark')].map((m) => m.textContent ?? '')));
  // Marking is best effort (a match in a file or sender name leaves a snippet unmarked), but what is marked matches.
  expect(marks.filter((m) => m.length > 0).length).toBeGreaterThan(marks.length / 2);
  for (const m of marks) expect(m.every(ok), `marks ${JSON.stringify(m)}`).toBe(true);
}

async function expectInView(page: Page, target: Locator): Promise<void> {
  await expect
    .poll(async () => {
      const box = await target.boundingBox();
      const list = await page.locator('.transcript').boundingBox();
      return Boolean(box && list && box.y >= list.y - 1 && box.y + Math.min(box.height, 40) <= list.y + list.height + 1);
    })
    .toBe(true);
}
