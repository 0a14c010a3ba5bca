// Issue 16, finding 5, in both languages: every sentence the fault battery found unclear, through the real command
// line (a child process, its language from LANG as a person's terminal sets it) against the emulator over HTTP and
// real files. The stable --json code is the same in both languages; only the sentence for people changes.

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../app/archive';
import { type Emulator, startEmulator } from '../emulator';
import { mountTmpfs } from '../archive/helpers';
import { fillArchive } from '../export/fixtures';
import { tempDir } from '../export/helpers';
import { closedPort, cliEnv, runCli } from './run-cli';

const APP = { sdkAppId: 1400000316, secretKey: 'lang-test-secret-key-0123456789', admins: ['administrator'] };
const LANGS = { en: 'en_US.UTF-8', zh: 'zh_CN.UTF-8' } as const;
type Speaker = keyof typeof LANGS;

let emulator: Emulator;
let htmlServer: Server;
let dir: string;
let archivePath: string;

beforeAll(async () => {
  emulator = await startEmulator({ apps: [{ ...APP, groups: [{ groupId: 'small', messages: 40, seed: 5 }] }], latencyMs: 2 });
  htmlServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Welcome to nginx!</body></html>'));
  htmlServer.listen(0, '127.0.0.1');
  await once(htmlServer, 'listening');
  dir = await tempDir();
  archivePath = join(dir, 'archive.sqlite');
  const archive = await Archive.open(archivePath, { create: true });
  fillArchive(archive, [{ groupId: '@TGS#lang', name: '语言群', messages: 50 }]);
  await archive.close();
});
afterAll(async () => {
  await emulator?.close();
  await new Promise<void>((resolve) => htmlServer.close(() => resolve()));
});

interface JsonFailure {
  error: { code: string; message: string; exitCode: number };
}

/** The CLI as a person with that LANG runs it; TZ fixed so nothing depends on the machine. */
function run(speaker: Speaker, args: string[], over: Record<string, string | undefined> = {}) {
  return runCli(args, cliEnv(emulator.url, APP, { LANG: LANGS[speaker], TZ: 'UTC', ...over }));
}

/** The --json failure object, after checking the exit code and that nothing else was printed. */
async function failure(speaker: Speaker, args: string[], exitCode: number, over: Record<string, string | undefined> = {}): Promise<JsonFailure['error']> {
  const r = await run(speaker, [...args, '--json'], over);
  expect(r.code, r.stdout + r.stderr).toBe(exitCode);
  const body = JSON.parse(r.stdout) as JsonFailure;
  expect(body.error.exitCode).toBe(exitCode);
  expect(r.stdout).not.toContain(APP.secretKey);
  return body.error;
}

describe('finding 5 in English and in Chinese', () => {
  it('a zero-byte file at the archive path is "not an archive yet", not damage', async () => {
    const empty = join(dir, 'empty.sqlite');
    await writeFile(empty, '');
    expect(await failure('en', ['status', '--archive', empty], 1)).toMatchObject({
      code: 'archive-not-found',
      message: `${empty} is an empty file, not an archive yet: nothing has been backed up into it. Run a backup to create the archive there (the empty file is replaced).`,
    });
    expect(await failure('zh', ['status', '--archive', empty], 1)).toMatchObject({
      code: 'archive-not-found',
      message: `${empty} 是一个空文件，还不是归档：还没有任何内容备份到其中。运行一次备份即可在那里创建归档（空文件会被替换）。`,
    });
  });

  it('an endpoint that serves a web page is named for what it is', async () => {
    const html = { TIM_ENDPOINT: `http://127.0.0.1:${(htmlServer.address() as AddressInfo).port}` };
    const en = await failure('en', ['backup', 'small', '--archive', join(dir, 'web-en.sqlite')], 1, html);
    expect(en.code).toBe('not-tencent-api');
    expect(en.message).toMatch(/^127\.0\.0\.1:\d+ is not Tencent's IM API: it answered (get_group_info|group_msg_get_simple) with a web page\. Check the region or base URL/u);
    const zh = await failure('zh', ['backup', 'small', '--archive', join(dir, 'web-zh.sqlite')], 1, html);
    expect(zh.code).toBe('not-tencent-api');
    expect(zh.message).toMatch(/^127\.0\.0\.1:\d+ 不是腾讯即时通信 IM 的接口：它对 (get_group_info|group_msg_get_simple) 返回了一个网页。请检查数据中心或接口地址，以及中间的代理或网络登录页面。$/u);
  });

  it('--out through a file names the file, with no raw ENOTDIR', async () => {
    const args = ['export', '--archive', archivePath, '--format', 'jsonl', '--out', '/etc/passwd/x.jsonl'];
    expect(await failure('en', args, 1)).toEqual({
      code: 'destination-path-through-file',
      message: 'Cannot write /etc/passwd/x.jsonl: /etc/passwd is a file, not a folder. Change --out. Nothing was left half-written.',
      exitCode: 1,
    });
    expect(await failure('zh', args, 1)).toEqual({
      code: 'destination-path-through-file',
      message: '无法写入 /etc/passwd/x.jsonl：/etc/passwd 是文件，不是文件夹。请更改 --out。没有留下写了一半的文件。',
      exitCode: 1,
    });
  });

  it('an HTML export to a read-only drive says the drive is read-only', async () => {
    const ro = await mountTmpfs('ro,size=1m');
    if (!ro) return; // needs root to mount a read-only tmpfs, as test/export/destination.test.ts
    const out = join(ro, 'transcript');
    const args = ['export', '--archive', archivePath, '--format', 'html', '--out', out];
    expect(await failure('en', args, 1)).toMatchObject({ code: 'destination-read-only', message: `Cannot write ${out}: the disk is read-only. Choose another disk. Nothing was left half-written.` });
    expect(await failure('zh', args, 1)).toMatchObject({ code: 'destination-read-only', message: `无法写入 ${out}：该磁盘是只读的。请选择其他磁盘。没有留下写了一半的文件。` });
  });

  it('a refused connection says once that it gave up, not that it is tried again', async () => {
    const port = await closedPort();
    for (const [speaker, gaveUp, triedAgain] of [
      ['en', /^tim-backup: The connection to 127\.0\.0\.1:\d+ failed \(ECONNREFUSED\) during (get_group_info|group_msg_get_simple)\. Check the internet connection\. Gave up after 6 attempts\.\n/u, 'tried again'],
      ['zh', /^tim-backup: 调用 (get_group_info|group_msg_get_simple) 时与 127\.0\.0\.1:\d+ 的连接失败（ECONNREFUSED）。请检查网络连接。已尝试 6 次，不再重试。\n/u, '会自动重试'],
    ] as const) {
      const r = await run(speaker, ['backup', 'small', '--archive', join(dir, `refused-${speaker}.sqlite`)], { TIM_ENDPOINT: `http://127.0.0.1:${port}` });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(gaveUp);
      expect(r.stderr).not.toContain(triedAgain);
    }
  }, 60_000);

  it('--rate abc quotes what was typed, not NaN', async () => {
    const en = await failure('en', ['backup', 'small', '--rate', 'abc'], 2);
    expect(en).toMatchObject({ code: 'usage' });
    expect(en.message).toBe(
      'The request rate must be a whole number from 1 to 200 requests per second (Tencent allows 200/s per app; the default 180/s leaves room for your own backend). Got "abc".',
    );
    const zh = await failure('zh', ['backup', 'small', '--rate', 'abc'], 2);
    expect(zh).toMatchObject({ code: 'usage' });
    expect(zh.message).toBe('每秒请求数必须是 1 到 200 之间的整数（腾讯每个应用每秒最多允许 200 次；默认的每秒 180 次给您自己的后台留出余量）。当前为“abc”。');
    const human = await run('zh', ['backup', 'small', '--rate', 'abc']);
    expect(human.stderr).toBe(`tim-backup: ${zh.message}\n运行“tim-backup --help”查看用法。\n`);
    expect(human.stderr).not.toContain('NaN');
  });

  it('an export of one group says "1 group", and says it in Chinese', async () => {
    const en = await run('en', ['export', '--archive', archivePath, '--format', 'csv', '--out', join(dir, 'one-en.csv')]);
    expect(en.code, en.stderr).toBe(0);
    expect(en.stdout).toMatch(new RegExp(`^Wrote \\d+ messages from 1 group to ${join(dir, 'one-en.csv')}\\n$`, 'u'));
    const zh = await run('zh', ['export', '--archive', archivePath, '--format', 'csv', '--out', join(dir, 'one-zh.csv')]);
    expect(zh.code, zh.stderr).toBe(0);
    expect(zh.stdout).toMatch(new RegExp(`^已把 1 个群组的 \\d+ 条消息写入 ${join(dir, 'one-zh.csv')}\\n$`, 'u'));
  });

  it('an unknown group: why the backup stopped, and why for the group, in the language of the person', async () => {
    const en = await run('en', ['backup', 'no-such-group', '--archive', join(dir, 'unknown-en.sqlite')]);
    expect(en.code).toBe(1);
    expect(en.stderr).toMatch(/^tim-backup: None of the chosen groups can be backed up \(see each group for why\)\.\n  no-such-group: This group (does not exist or was dismissed \(10010\)\. It is skipped|ID is not valid \(10015\)\. Check the ID; the group is skipped)\.\n$/u);
    const zh = await run('zh', ['backup', 'no-such-group', '--archive', join(dir, 'unknown-zh.sqlite'), '--json']);
    expect(zh.code).toBe(1);
    const body = JSON.parse(zh.stdout) as JsonFailure & { groups: { groupId: string; state: string; reason: string }[] };
    expect(body.error).toMatchObject({ code: 'backup-failed', message: '所选的群组都无法备份（原因见各群组）。' });
    expect(body.groups).toMatchObject([{ groupId: 'no-such-group', state: 'skipped', reason: expect.stringMatching(/^这个群组(不存在或已解散（错误码 10010），已跳过|ID 无效（错误码 10015）。请检查群组 ID；该群组已跳过)。$/u) as string }]);
  });

  it('--lang chooses the language over LANG, and an unknown option is a usage error in it', async () => {
    const r = await failure('en', ['status', '--jsn', '--lang', 'zh-CN'], 2);
    expect(r.code).toBe('usage');
    // The command line could not be read, so its --lang cannot be trusted: the system's language answers.
    expect(r.message).toContain("'--jsn'");
    const zh = await failure('zh', ['status', '--jsn'], 2);
    expect(zh).toMatchObject({ code: 'usage', message: '不认识的选项 --jsn。请检查拼写；以“-”开头的搜索词请放在 -- 之后。' });
    const chosen = await failure('en', ['status', '--archive', join(dir, 'none.sqlite'), '--lang', 'zh-CN'], 1);
    expect(chosen).toMatchObject({ code: 'archive-not-found', message: `${join(dir, 'none.sqlite')} 没有归档。请检查路径，或运行一次备份来创建归档。` });
  });
});
