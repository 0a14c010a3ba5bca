// Damage inside message rows as the command line meets it: verify names each damaged message (group and message
// number) in words, in Chinese and as JSON; search and every export show it as damage, never as the message;
// the next backup replaces what Tencent still keeps and names what it no longer does.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive, rowsOf } from '../../app/archive';
import type { TextElem } from '../../app/im/wire';
import { damageRow } from '../archive/damage';
import { type Emulator, startEmulator } from '../emulator';
import { gidOf } from '../engine/truth';
import { cliEnv, runCli } from './run-cli';

const APP = { sdkAppId: 1400000231, secretKey: 'cli-rowcheck-secret-0123456789', admins: ['administrator'] };
let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ apps: [{ ...APP, groups: [{ groupId: 'rows', messages: 300, seed: 91, deletedShare: 0.05, recalledShare: 0 }] }] });
  dir = await mkdtemp(join(tmpdir(), 'tim-cli-rowcheck-'));
});
afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

const env = (over: Record<string, string | undefined> = {}) => cliEnv(emulator.url, APP, { LANG: 'en_US.UTF-8', TZ: 'UTC', ...over });

async function htmlOf(folder: string): Promise<string> {
  const files = (await readdir(folder, { recursive: true })).filter((f) => f.endsWith('.html'));
  return (await Promise.all(files.map((f) => readFile(join(folder, f), 'utf8')))).join('\n');
}

describe('damaged message rows on the command line', () => {
  it('verify, search and the exports report them by group and message number; the next backup replaces them within retention', async () => {
    const path = join(dir, 'rows.sqlite');
    const first = await runCli(['backup', 'rows', '--archive', path], env());
    expect(first.code, first.stderr).toBe(0);

    const group = emulator.group(APP.sdkAppId, 'rows');
    const textOf = (seq: number) => (group.original(seq)?.MsgBody[0] as TextElem | undefined)?.MsgContent.Text ?? '';
    // Text messages with two Chinese characters in a row to search for, far below the look-back of the next run.
    const words = (seq: number) => /\p{Script=Han}{2}/u.exec(textOf(seq))?.[0];
    const texts = [...Array(180).keys()].map((i) => i + 11).filter((s) => group.state(s) === 'normal' && group.original(s)?.MsgBody[0]?.MsgType === 'TIMTextElem' && words(s));
    const [inText, inRaw] = [texts[0]!, texts[10]!];
    const placeholder = [...Array(180).keys()].map((i) => i + 11).find((s) => group.state(s) === 'deleted')!;
    const old = [...Array(10).keys()].map((i) => i + 1).find((s) => group.state(s) === 'normal')!;
    expect(placeholder).toBeDefined();
    expect(old).toBeDefined();
    const reader = await Archive.open(path, { readOnly: true });
    const gid = gidOf(reader, 'rows');
    const stored = String(rowsOf(reader.db, 'SELECT text FROM messages WHERE gid = ? AND seq = ?', gid, inText)[0]![0]);
    await reader.close();
    const firstChar = [...stored][0]!;
    damageRow(path, gid, inText, 'text', [firstChar, firstChar === '~' ? '!' : '~']);
    damageRow(path, gid, inRaw, 'raw', ['MsgRandom', 'MsgRandon']);
    damageRow(path, gid, placeholder, 'state');
    damageRow(path, gid, old, 'raw', ['MsgRandom', 'MsgRandon']);
    const all = [old, inText, inRaw, placeholder].sort((a, b) => a - b);

    // verify: every damaged row, in words (English and Chinese) and as JSON; exit 1.
    const json = await runCli(['verify', '--json', '--archive', path], env());
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, pagesOk: true, rowsChecked: expect.any(Number), damaged: all.map((seq) => ({ groupId: 'rows', seq })) });
    const words_ = await runCli(['verify', '--archive', path], env());
    expect(words_.code).toBe(1);
    expect(words_.stdout).toMatch(/SQLite checked every page/);
    expect(words_.stdout).toContain('4 messages are DAMAGED inside the archive');
    for (const seq of all) expect(words_.stdout).toContain(`  group rows, message no. ${seq}\n`);
    expect(words_.stdout).toContain('The next backup replaces damaged messages that Tencent still keeps');
    const zh = await runCli(['verify', '--archive', path], env({ LANG: 'zh_CN.UTF-8' }));
    expect(zh.stdout).toContain('归档中有 4 条消息已损坏');
    for (const seq of all) expect(zh.stdout).toContain(`  群组 rows，消息序号 ${seq}\n`);

    // search: a damaged row found by its words is a damaged hit, its (damaged) text never shown as a snippet.
    for (const seq of [inText, inRaw]) {
      const found = await runCli(['search', words(seq)!, '--group', 'rows', '--limit', '500', '--json', '--archive', path], env());
      expect(found.code, found.stderr).toBe(0);
      const hit = (JSON.parse(found.stdout) as { hits: { MsgSeq: number; Damaged?: boolean; Snippet: string }[] }).hits.find((h) => h.MsgSeq === seq);
      expect(hit).toMatchObject({ Damaged: true, Snippet: '' });
      const human = await runCli(['search', words(seq)!, '--group', 'rows', '--limit', '500', '--archive', path], env());
      expect(human.stdout).toMatch(new RegExp(`rows No\\. ${seq} .*\\[damaged in the archive: content not shown\\]`));
      expect(human.stdout).toMatch(new RegExp(`damaged in the archive and shown without (its|their) content:\n(  group rows, message no\\. \\d+\n)*  group rows, message no\\. ${seq}\n`));
    }
    const damagedText = stored.replaceAll(firstChar, firstChar === '~' ? '!' : '~');

    // Every export format: the damaged rows as damage, named in the summary.
    const jsonl = join(dir, 'rows.jsonl');
    const exp = await runCli(['export', '--format', 'jsonl', '--out', jsonl, '--archive', path], env());
    expect(exp.code, exp.stderr).toBe(0);
    expect(exp.stdout).toContain('4 messages were damaged in the archive and written as damaged, without their content:');
    for (const seq of all) expect(exp.stdout).toContain(`  group rows, message no. ${seq}\n`);
    const lines = (await readFile(jsonl, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const seq of all) expect(lines.find((l) => l.MsgSeq === seq)).toEqual({ GroupId: 'rows', MsgSeq: seq, Damaged: true });
    expect(lines.find((l) => l.MsgSeq === texts[1])).toEqual({ GroupId: 'rows', ...group.view(texts[1]!), ...(lines.find((l) => l.MsgSeq === texts[1])!.SenderName ? { SenderName: expect.any(String) } : {}) });
    const csv = join(dir, 'rows.csv');
    expect((await runCli(['export', '--format', 'csv', '--out', csv, '--archive', path], env())).code).toBe(0);
    expect(await readFile(csv, 'utf8')).toContain(`rows,${inText},,,,damaged,,\r\n`);
    const txt = join(dir, 'rows.txt');
    expect((await runCli(['export', '--format', 'txt', '--out', txt, '--archive', path, '--lang', 'zh-CN'], env())).code).toBe(0);
    const plain = await readFile(txt, 'utf8');
    expect(plain).toContain('归档中已损坏');
    // Its sender is no more trusted than its text: the line names only the time and the message.
    expect(plain).toMatch(new RegExp(`\\d\\d:\\d\\d  -  #${inText}\n {7}\\(归档中已损坏`));
    expect(plain).not.toContain(damagedText);
    const html = join(dir, 'rows-html');
    expect((await runCli(['export', '--format', 'html', '--out', html, '--archive', path, '--lang', 'en'], env())).code).toBe(0);
    const pages = await htmlOf(html);
    expect(pages.match(/Damaged in the archive/g)).toHaveLength(4);
    expect(pages).not.toContain(damagedText);

    // The next backup: Tencent's retention has moved past the oldest damaged message meanwhile.
    group.setRetentionEdge(old + 1);
    const again = await runCli(['backup', 'rows', '--archive', path], env());
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Replaced 3 damaged messages with Tencent\'s copy:');
    for (const seq of [inText, inRaw, placeholder].sort((a, b) => a - b)) expect(again.stdout).toContain(`  group rows, message no. ${seq}\n`);
    expect(again.stdout).toContain(`1 damaged message could not be replaced: Tencent no longer keeps it (beyond its retention, or deleted):\n  group rows, message no. ${old}\n`);
    const after = await runCli(['verify', '--json', '--archive', path], env());
    expect(JSON.parse(after.stdout)).toMatchObject({ ok: false, damaged: [{ groupId: 'rows', seq: old }] });
  }, 120_000);
});
