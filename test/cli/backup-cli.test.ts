import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive, lockPathOf } from '../../app/archive';
import type { GroupMsg } from '../../app/im/wire';
import { mediaRefsOf } from '../../app/media/model';
import { type Emulator, startEmulator } from '../emulator';
import { expectExact } from '../engine/truth';
import { cliEnv, runCli, startCli } from './run-cli';
import { withoutSignatures } from '../../app/media/model';

const COMM = '@TGS#_@TGS#cCLI';
const APP = { sdkAppId: 1400000201, secretKey: 'cli-test-secret-key-0123456789', admins: ['administrator'] };
let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({
    apps: [
      {
        ...APP,
        groups: [
          { groupId: 'small', messages: 120, seed: 21 },
          { groupId: 'big', messages: 6000, seed: 22, recalledShare: 0.03, deletedShare: 0.02, longShare: 0.05 },
          { groupId: 'live', type: 'AVChatRoom', messages: 5, seed: 23 },
          { groupId: COMM, type: 'Community', name: '开发者社区', messages: 40, seed: 24, topics: [`${COMM}@TOPIC#_general`, `${COMM}@TOPIC#_公告`] },
        ],
      },
    ],
    latencyMs: 5,
    jitterMs: 5,
  });
  dir = await mkdtemp(join(tmpdir(), 'tim-cli-'));
});
afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

const env = (over: Record<string, string | undefined> = {}) => cliEnv(emulator.url, APP, over);

const exists = (p: string) => stat(p).then(() => true, () => false);
async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600 && !(await condition()); i++) await new Promise((r) => setTimeout(r, 50));
}

let template: string | undefined;
/** A fresh copy of a valid archive holding one backed-up group. */
async function goodArchive(name: string): Promise<string> {
  if (!template) {
    template = join(dir, 'template.sqlite');
    const r = await runCli(['backup', 'small', '--archive', template], env());
    expect(r.code, r.stderr).toBe(0);
  }
  const path = join(dir, name);
  await copyFile(template, path);
  return path;
}

describe('Community topics in the command line', () => {
  it('groups lists each topic under its group; backup, status and search --group take them along', async () => {
    const listed = await runCli(['groups'], env());
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`\\n  ${COMM.replaceAll('#', '#')}@TOPIC#_general +topic +general +\\d+ +yes`));
    expect(listed.stdout).toContain('4 groups, 2 topics');
    const json = JSON.parse((await runCli(['groups', '--json'], env())).stdout) as { groupId: string; topics?: { topicId: string; name: string }[] }[];
    expect(json.find((g) => g.groupId === COMM)!.topics!.map((t) => t.name)).toEqual(['general', '公告']);

    const path = join(dir, 'topics.sqlite');
    const backup = await runCli(['backup', COMM, '--archive', path, '--json'], env());
    expect(backup.code, backup.stderr).toBe(0);
    const summary = JSON.parse(backup.stdout) as { groups: { topicId?: string; state: string }[] };
    expect(summary.groups.map((g) => [g.topicId ?? '', g.state])).toEqual([['', 'done'], [`${COMM}@TOPIC#_general`, 'done'], [`${COMM}@TOPIC#_公告`, 'done']]);
    const archive = await Archive.open(path, { readOnly: true });
    try {
      expectExact(archive, COMM, emulator.group(APP.sdkAppId, COMM, `${COMM}@TOPIC#_公告`), { topicId: `${COMM}@TOPIC#_公告` });
    } finally {
      await archive.close();
    }

    const status = await runCli(['status', '--archive', path, '--group', COMM], {});
    expect(status.stdout).toContain(`  ${COMM}@TOPIC#_公告`);
    expect(status.stdout).toContain('开发者社区 › 公告');
    expect(status.stdout).toMatch(/ complete {2,}\d{4}-\d{2}-\d{2} /u);
    const statusJson = JSON.parse((await runCli(['status', '--archive', path, '--json'], {})).stdout) as { topicId?: string; completeness: { state: string } }[];
    expect(statusJson.map((g) => [g.topicId ?? '', g.completeness.state])).toEqual([['', 'complete'], [`${COMM}@TOPIC#_general`, 'complete'], [`${COMM}@TOPIC#_公告`, 'complete']]);

    // Exports name each topic under its group, with its own completeness.
    const html = join(dir, 'topics-html');
    const exp = await runCli(['export', '--format', 'html', '--out', html, '--archive', path, '--lang', 'zh-CN'], {});
    expect(exp.code, exp.stderr).toBe(0);
    const index = await readFile(join(html, 'index.html'), 'utf8');
    expect(index).toContain('开发者社区 › 公告');
    expect(index).toContain('开发者社区 › general');
    expect(index.match(/data-verdict="complete"/gu)?.length).toBe(3);

    const { hits } = JSON.parse((await runCli(['search', '的', '--group', COMM, '--limit', '500', '--archive', path, '--json'], {})).stdout) as { hits: { GroupId: string; TopicId?: string }[] };
    expect(new Set(hits.map((h) => h.GroupId))).toEqual(new Set([COMM]));
    expect(new Set(hits.map((h) => h.TopicId ?? ''))).toEqual(new Set(['', `${COMM}@TOPIC#_general`, `${COMM}@TOPIC#_公告`]));
  });
});

describe('tim-backup backup/status/export', () => {
  it('backs up, reports status and exports JSONL exactly as the API returned each message', async () => {
    const path = join(dir, 'ok.sqlite');
    const backup = await runCli(['backup', 'small', '--archive', path, '--json'], env());
    expect(backup.code, backup.stderr).toBe(0);
    const summary = JSON.parse(backup.stdout);
    expect(summary.outcome).toBe('ok');
    expect(backup.stdout + backup.stderr).not.toContain(APP.secretKey);

    const status = JSON.parse((await runCli(['status', '--archive', path, '--json'], {})).stdout);
    expect(status).toHaveLength(1);
    expect(status[0].groupId).toBe('small');
    expect(status[0].gaps).toEqual([]);

    const out = join(dir, 'small.jsonl');
    const exp = await runCli(['export', '--format', 'jsonl', '--out', out, '--archive', path], {});
    expect(exp.code, exp.stderr).toBe(0);
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    // The backup also learnt who the senders are: their display name rides along, the message stays as sent.
    expect(lines.some((l) => typeof l.SenderName === 'string')).toBe(true);
    // Each media rendition the message carries is listed with its state in the store (app/export/jsonl.ts).
    for (const l of lines) {
      const media = (l.Media as { Key: string }[] | undefined)?.map((m) => m.Key) ?? [];
      expect(media).toEqual(mediaRefsOf(l as unknown as GroupMsg).map((r) => r.key));
      delete l.SenderName;
      delete l.Media;
    }
    expect(lines.some((l) => mediaRefsOf(l as unknown as GroupMsg).length > 0)).toBe(true);
    const group = emulator.group(APP.sdkAppId, 'small');
    const expected = [];
    for (let seq = 1; seq <= group.newestSeq; seq++) {
      const view = group.view(seq);
      if (view) expected.push({ GroupId: 'small', ...withoutSignatures(view) });
    }
    // Media URLs are signed afresh in every answer: compared without their signatures.
    expect(lines.map((l) => withoutSignatures(l as unknown as GroupMsg))).toEqual(expected);
  });

  it('survives kill -9 at several moments and the rerun leaves an exact archive', async () => {
    const path = join(dir, 'killed.sqlite');
    // The messages' exactness under kill -9 (the media's: test/media/crash.test.ts).
    const args = ['backup', 'big', '--archive', path, '--rate', '60', '--media', 'none'];
    for (const ms of [300, 900, 1600]) {
      const { child, done } = startCli(args, env());
      // Time from the moment the run holds the archive (a loaded machine can take seconds to start it).
      await until(async () => (await exists(lockPathOf(path))) && (await exists(path)));
      await new Promise((r) => setTimeout(r, ms));
      child.kill('SIGKILL');
      const r = await done;
      expect(r.signal).toBe('SIGKILL');
      // Whatever instant it died at, the file on disk is a valid archive (a new one appears only whole).
      const a = await Archive.open(path, { readOnly: true });
      // SQLite's quick_check; verify() leaves out the one line a contentless FTS4 table always answers since 3.44.
      const check = a.verify({ quick: true });
      expect(check.problems).toEqual([]);
      expect(check.ok).toBe(true);
      await a.close();
    }
    const rerun = await runCli([...args.slice(0, 4), '--media', 'none', '--json'], env());
    expect(rerun.code, rerun.stderr).toBe(0);
    const a = await Archive.open(path, { readOnly: true });
    try {
      expectExact(a, 'big', emulator.group(APP.sdkAppId, 'big'));
    } finally {
      await a.close();
    }
  });
});

describe('bad input gets a clear error and leaves the archive untouched', () => {
  const cases: [string, string[], Record<string, string | undefined>, number, RegExp][] = [
    ['wrong key', ['backup', 'small'], { TIM_SECRET_KEY: 'wrong-key' }, 1, /SecretKey/i],
    ['non-admin identifier', ['backup', 'small'], { TIM_ADMIN: 'ordinary-user' }, 1, /admin/i],
    ['unknown SDKAppID', ['backup', 'small'], { TIM_SDKAPPID: '1400999999' }, 1, /SDKAppID/],
    ['unknown group', ['backup', 'no-such-group'], {}, 1, /does not exist|dismissed/i],
    ['invalid group ID', ['backup', 'bad\u0001id'], {}, 1, /invalid|not valid/i],
    ['AVChatRoom', ['backup', 'live'], {}, 1, /AVChatRoom.*no message history/],
    ['rate 0', ['backup', 'small', '--rate', '0'], {}, 2, /1 to 200/],
    ['rate 500', ['backup', 'small', '--rate', '500'], {}, 2, /1 to 200/],
    ['unknown region', ['backup', 'small', '--region', 'mars'], { TIM_ENDPOINT: undefined }, 2, /region/i],
  ];
  it.each(cases)('%s', async (_name, args, over, code, message) => {
    const path = await goodArchive(`bad-${_name.replace(/\W/g, '')}.sqlite`);
    const before = await readFile(path);
    const r = await runCli([...args, '--archive', path], env(over));
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain(APP.secretKey);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack traces for people
    expect(Buffer.compare(await readFile(path), before)).toBe(0);
  });

  it('unwritable path', async () => {
    const ro = join(dir, 'read-only');
    await mkdir(ro);
    await chmod(ro, 0o500);
    const r = await runCli(['backup', 'small', '--archive', join(ro, 'a.sqlite')], env());
    // root ignores permission bits; a path under a regular file is unwritable for everyone.
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'x');
    const r2 = await runCli(['backup', 'small', '--archive', join(blocker, 'a.sqlite')], env());
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/cannot|can't|unable|not a folder|writ/i);
    if (process.getuid?.() !== 0) expect(r.code).toBe(1);
  });

  it('corrupt or foreign archive file is refused and not overwritten', async () => {
    const corrupt = join(dir, 'corrupt.sqlite');
    const bytes = Buffer.from('SQLite format 3\0'.padEnd(4096, '\u0007'));
    await writeFile(corrupt, bytes);
    const r = await runCli(['backup', 'small', '--archive', corrupt], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/damaged|corrupt|not a valid|not an archive/i);
    expect(Buffer.compare(await readFile(corrupt), bytes)).toBe(0);

    const text = join(dir, 'notes.txt');
    await writeFile(text, 'my notes, not an archive');
    const r2 = await runCli(['status', '--archive', text], {});
    expect(r2.code).toBe(1);
    expect(await readFile(text, 'utf8')).toBe('my notes, not an archive');
  });

  it('a second concurrent writer is refused', async () => {
    const path = join(dir, 'locked.sqlite');
    const first = startCli(['backup', 'big', '--archive', path, '--rate', '20'], env());
    await until(() => exists(lockPathOf(path)));
    const second = await runCli(['backup', 'small', '--archive', path], env());
    first.child.kill('SIGINT');
    const firstResult = await first.done;
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/in use|another|locked/i);
    // The first, interrupted politely, saved what it had and said so.
    expect(firstResult.code).toBe(130);
    const a = await Archive.open(path, { readOnly: true });
    expect(a.groups().map((g) => g.groupId)).toEqual(['big']);
    await a.close();
  });
});
