// Senders' names in every export: the chosen name (card, nick, account, as-sent) with the account always at hand,
// and hostile names (bidi overrides, zero-width, 200 characters, markup, empty) shown as inert text — checked in
// the files and, for HTML, in Chromium.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HtmlValidate } from 'html-validate';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Archive } from '../../app/archive';
import { exportArchive, type NameChoice } from '../../app/export';
import { html } from '../../app/export/html';
import { visibleText } from '../../app/export/visible';
import type { GroupMsg } from '../../app/im/wire';
import { HOSTILE_NAMES } from '../emulator/corpus';
import { tempArchive, tempDir } from './helpers';

const APP = 1400000001;
const GROUP = '@TGS#names';
const T1 = 1_715_000_000_000; // the first backup saw the names (ms)
const T2 = T1 + 86_400_000; // the second saw the renames
const before = T1 / 1000 - 3600; // a message sent before either backup (s)
const between = T1 / 1000 + 3600; // after the first, before the rename was seen

/** Renamed: card "Old Card" → "New Card", nick "Old Nick" → "New Nick". Quiet: no card, a nick. Hostile: one each. */
const hostile = HOSTILE_NAMES.map((name, i) => ({ account: `hostile-${i}`, name }));
let archive: Archive;

function message(seq: number, time: number, sender: string): GroupMsg {
  return { From_Account: sender, IsPlaceMsg: 0, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `message ${seq}` } }], MsgRandom: seq, MsgSeq: seq, MsgTimeStamp: time };
}

beforeAll(async () => {
  ({ archive } = await tempArchive([]));
  const msgs = [message(1, before, 'renamed'), message(2, between, 'renamed'), message(3, T2 / 1000 + 60, 'renamed'), message(4, between, 'quiet'), message(5, between, 'ghost')];
  hostile.forEach((h, i) => msgs.push(message(6 + i, between + i, h.account)));
  const gid = archive.upsertGroup({ sdkAppId: APP, groupId: GROUP, info: { GroupId: GROUP, ErrorCode: 0, ErrorInfo: '', NextMsgSeq: msgs.length + 1 }, newestSeq: msgs.length });
  const members = (card: string) => [
    { Member_Account: 'renamed', NameCard: card },
    { Member_Account: 'quiet', NameCard: '' },
    ...hostile.map((h) => ({ Member_Account: h.account, NameCard: h.name })),
  ];
  archive.upsertMembers(gid, members('Old Card'), { at: T1, complete: true });
  archive.upsertProfiles(APP, [{ account: 'renamed', nick: 'Old Nick' }, { account: 'quiet', nick: 'Quiet Nick' }, ...hostile.map((h) => ({ account: h.account, nick: '' }))], { at: T1 });
  archive.upsertMembers(gid, members('New Card'), { at: T2, complete: true });
  archive.upsertProfiles(APP, [{ account: 'renamed', nick: 'New Nick' }], { at: T2 });
  const run = archive.beginRun();
  archive.storeWindow(gid, 1, msgs.length, msgs, run);
  archive.finishRun(run, 'ok', {});
  await archive.commit();
});

async function exported(format: 'csv' | 'jsonl' | 'txt', names: NameChoice): Promise<string> {
  const out = join(await tempDir(), `out.${format}`);
  await exportArchive(archive, { format, out, names, lang: 'en', timeZone: 'UTC' });
  return readFile(out, 'utf8');
}

async function htmlPage(names: NameChoice): Promise<string> {
  const out = join(await tempDir(), 'html');
  await exportArchive(archive, { format: 'html', out, names, lang: 'en', timeZone: 'UTC' });
  const [folder] = await readdir(join(out, 'groups'));
  const pages = (await readdir(join(out, 'groups', folder!))).filter((f) => f !== 'index.html');
  expect(pages).toHaveLength(1);
  return join(out, 'groups', folder!, pages[0]!);
}

/** CSV display_name of Seqs 1–5, in order. */
async function csvNames(names: NameChoice): Promise<string[]> {
  const lines = (await exported('csv', names)).split('\r\n').slice(1, 6);
  return lines.map((l) => l.split(',')[4]!);
}

describe('the name each export gives a sender', () => {
  it('card (the default): the current card, else the current nick, else the account', async () => {
    expect(await csvNames('card')).toEqual(['New Card', 'New Card', 'New Card', 'Quiet Nick', 'ghost']);
  });

  it('nick: the current nickname, else the account', async () => {
    expect(await csvNames('nick')).toEqual(['New Nick', 'New Nick', 'New Nick', 'Quiet Nick', 'ghost']);
  });

  it('account: the account alone', async () => {
    expect(await csvNames('account')).toEqual(['renamed', 'renamed', 'renamed', 'quiet', 'ghost']);
  });

  it('as-sent: the card (else nick) the sender had when the message was sent, the earliest known before that', async () => {
    expect(await csvNames('as-sent')).toEqual(['Old Card', 'Old Card', 'New Card', 'Quiet Nick', 'ghost']);
  });

  it('JSONL carries SenderName next to From_Account; TXT says "name (account)"; HTML puts the account in the title', async () => {
    const lines = (await exported('jsonl', 'as-sent')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.slice(0, 5).map((l) => [l.From_Account, l.SenderName])).toEqual([
      ['renamed', 'Old Card'], ['renamed', 'Old Card'], ['renamed', 'New Card'], ['quiet', 'Quiet Nick'], ['ghost', undefined],
    ]);
    const txt = await exported('txt', 'card');
    expect(txt).toContain('New Card (renamed)  #1');
    expect(txt).toContain('  ghost  #5');
    const page = await readFile(await htmlPage('card'), 'utf8');
    expect(page).toContain('<bdi class="n" title="renamed">New Card</bdi><bdi class="a">renamed</bdi>');
    expect(page).toContain('<bdi class="n">ghost</bdi>');
  });
});

describe('hostile names', () => {
  it('are escaped text in valid HTML; invisible ones give way to the account', async () => {
    const file = await htmlPage('card');
    const page = await readFile(file, 'utf8');
    const report = await new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'no-inline-style': 'off', 'long-title': 'off' } }).validateString(page);
    expect(report.valid, JSON.stringify(report.results[0]?.messages.slice(0, 3))).toBe(true);
    for (const h of hostile) {
      const shown = h.name.trim() === '' || /^[\s\p{Cf}]*$/u.test(h.name) ? undefined : visibleText(h.name);
      const expected = shown === undefined ? html`<bdi class="n">${h.account}</bdi>` : html`<bdi class="n" title="${h.account}">${shown}</bdi><bdi class="a">${h.account}</bdi>`;
      expect(page, h.account).toContain(expected.toString());
    }
    expect(page).not.toMatch(/<script|<img|onmouseover="alert|<\/title><img/u);
  });

  it('run nothing and inject nothing in Chromium; each name reads exactly as chosen, 200 characters included', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run'] });
    try {
      const context = await browser.newContext();
      const incidents: string[] = [];
      await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : (incidents.push(route.request().url()), route.abort())));
      const page = await context.newPage();
      page.on('dialog', (d) => {
        incidents.push(`dialog ${d.message()}`);
        void d.dismiss();
      });
      page.on('pageerror', (e) => incidents.push(`error ${e.message}`));
      await page.goto(pathToFileURL(await htmlPage('card')).href);
      const dom = await page.evaluate(() => {
        const d = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ textContent: string | null; getAttribute(n: string): string | null; getAttributeNames(): string[] }> & { length: number } } }).document;
        return {
          injected: d.querySelectorAll('script, img, iframe, svg, form, title ~ img').length,
          handlers: [...d.querySelectorAll('*')].flatMap((el) => el.getAttributeNames().filter((a) => a.startsWith('on'))),
          names: [...d.querySelectorAll('bdi.n')].map((el) => [el.textContent, el.getAttribute('title')]),
        };
      });
      expect(incidents).toEqual([]);
      expect(dom.injected).toBe(0);
      expect(dom.handlers).toEqual([]);
      for (const h of hostile) {
        const visible = !/^[\s\p{Cf}]*$/u.test(h.name);
        expect(dom.names, h.account).toContainEqual(visible ? [visibleText(h.name), h.account] : [h.account, null]);
      }
      expect(dom.names.some(([name]) => [...(name ?? '')].length === 200)).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
