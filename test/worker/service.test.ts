// The worker's operations, in process, against the emulator over real HTTP and a real archive file: profiles and
// keys, connection tests that name what is wrong, backups with progress, cancel and fetch-missing, listing with the
// archive's state, search, the reader, export, and the errors a person sees.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../app/archive';
import type { Profile } from '../../app/ipc/contract';
import { SecretScrubber } from '../../app/worker/errors';
import { createService, type WorkerService } from '../../app/worker/service';
import { APP, DISABLED_APP, EventLog, MemorySecrets, profileInput, startWorld, type World } from './helpers';

let world: World;
let secrets: MemorySecrets;
let events: EventLog;
let service: WorkerService;
let profile: Profile;

beforeAll(async () => {
  world = await startWorld();
  secrets = new MemorySecrets();
  events = new EventLog();
  service = createService({ dataDir: world.dir }, events.emit, secrets);
  profile = await service.saveProfile({ profile: profileInput(world.emulator) });
  await service.setSecretKey({ profile: profile.name, secretKey: APP.secretKey });
});
afterAll(async () => {
  await service.shutdown();
  await world.close();
});

/** The contract's error kind a call fails with (what the host would answer), or 'ok'. */
function kindOf(call: Promise<unknown>): Promise<string> {
  return call.then(
    () => 'ok',
    (err: unknown) => service.scrubber.toAppError(err).kind,
  );
}

async function backup(groups: { groupId: string }[], name = profile.name) {
  const started = await service.startBackup({ profile: name, groups });
  return events.next('backupDone', (e) => e.backupId === started.backupId);
}

describe('testConnection names exactly what is wrong', () => {
  it('ok, with the number of groups', async () => {
    expect(await service.testConnection({ profile: profile.name })).toMatchObject({ ok: true, totalGroups: 4 });
  });

  // Built when each case runs: the emulator's URL is not known when the table is.
  const unsaved = (over: Parameters<typeof profileInput>[1], secretKey?: string) => () => ({
    profile: profileInput(world.emulator, over),
    ...(secretKey !== undefined ? { secretKey } : {}),
  });
  it.each([
    ['key', unsaved({}, 'b'.repeat(64))],
    ['sdkappid', unsaved({ sdkAppId: 1400999999 }, APP.secretKey)],
    ['not-admin', unsaved({ admin: 'someone' }, APP.secretKey)],
    ['app-disabled', unsaved({ sdkAppId: DISABLED_APP.sdkAppId }, DISABLED_APP.secretKey)],
    ['network', unsaved({ endpoint: 'http://127.0.0.1:9' }, APP.secretKey)],
    ['endpoint', unsaved({ endpoint: 'mars' }, APP.secretKey)],
    ['no-key', unsaved({ name: 'Unsaved' })],
  ] as const)('%s', async (problem, args) => {
    const report = await service.testConnection(args());
    expect(report).toMatchObject({ ok: false, problem });
    if (!report.ok) {
      expect(report.message.length).toBeGreaterThan(20);
      expect(report.message).not.toContain(APP.secretKey);
    }
  });

  it('endpoint: a web page where the API should be', async () => {
    const site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>Welcome to nginx!</p>'));
    site.listen(0, '127.0.0.1');
    await once(site, 'listening');
    try {
      const endpoint = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
      const report = await service.testConnection({ profile: profileInput(world.emulator, { endpoint }), secretKey: APP.secretKey });
      expect(report).toMatchObject({ ok: false, problem: 'endpoint', message: expect.stringContaining("is not Tencent's IM API: it answered get_appid_group_list with a web page") as string });
    } finally {
      await new Promise((resolve) => site.close(resolve));
    }
  });
});

describe('profiles', () => {
  it('never return the key, and say whether one is stored', async () => {
    const listed = await service.listProfiles();
    expect(JSON.stringify(listed)).not.toContain(APP.secretKey);
    expect(await service.hasSecretKey({ profile: profile.name })).toBe(true);
    await service.saveProfile({ profile: profileInput(world.emulator, { name: 'No key yet' }) });
    expect(await service.hasSecretKey({ profile: 'No key yet' })).toBe(false);
    expect(await kindOf(service.startBackup({ profile: 'No key yet', groups: [] }))).toBe('no-secret-key');
    await service.deleteProfile({ profile: 'No key yet' });
    expect(await kindOf(service.hasSecretKey({ profile: 'No key yet' }))).toBe('not-found');
  });
});

describe('a profile’s archive file', () => {
  const withArchive = (name: string, archivePath: string) => ({ profile: { ...profileInput(world.emulator, { name }), archivePath } });

  it('is refused where it cannot be: a folder, or under a file', async () => {
    const folder = join(world.dir, 'a-folder');
    await mkdir(folder);
    await expect(service.saveProfile(withArchive('Elsewhere', folder))).rejects.toThrow(`The archive file “${folder}” cannot be used: it is a folder. Choose a file name inside it, such as ${join(folder, 'tim-backup.sqlite')}.`);
    const file = join(world.dir, 'a-file.txt');
    await writeFile(file, 'not a folder');
    await expect(service.saveProfile(withArchive('Elsewhere', join(file, 'deeper', 'archive.sqlite')))).rejects.toThrow(`${file} is a file, not a folder. Choose another place for the archive.`);
    expect(await kindOf(service.saveProfile(withArchive('Elsewhere', folder)))).toBe('invalid-argument');
    expect((await service.listProfiles()).map((p) => p.name)).not.toContain('Elsewhere');
  });

  it('gets its folder created when chosen, and an unchanged one is left alone (it may be an unplugged drive)', async () => {
    const folder = join(world.dir, 'chosen', 'archives');
    const archivePath = join(folder, 'community.timbackup');
    expect((await service.saveProfile(withArchive('Chosen', archivePath))).archivePath).toBe(archivePath);
    expect((await stat(folder)).isDirectory()).toBe(true);
    await rm(join(world.dir, 'chosen'), { recursive: true });
    await service.saveProfile({ profile: { ...profileInput(world.emulator, { name: 'Chosen', rate: 50 }), archivePath } });
    await expect(stat(join(world.dir, 'chosen'))).rejects.toThrow(/ENOENT/u);
    await service.deleteProfile({ profile: 'Chosen' });
  });
});

describe('backup, listing, coverage', () => {
  it('backs up every group that keeps history, with progress, then lists them with their archived state', async () => {
    const done = await backup([]);
    expect(done.summary.outcome).toBe('ok');
    expect(done.summary.groups.map((g) => g.groupId).sort()).toEqual(['big', 'cn', 'en']);
    const progress = events.all('backupProgress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.progress.windowsTotal).toBeGreaterThan(0);

    const listed = await service.listGroups({ profile: profile.name, source: 'tencent' });
    expect(events.all('groupsProgress').at(-1)).toMatchObject({ profile: profile.name, listed: 4, total: 4 });
    const byId = new Map(listed.map((g) => [g.groupId, g]));
    expect(byId.get('live')).toMatchObject({ canBackUp: false, atTencent: true });
    expect(byId.get('live')!.reason).toMatch(/AVChatRoom.*no message history/);
    expect(byId.get('live')!.archive).toBeUndefined();
    const cn = byId.get('cn')!;
    expect(cn).toMatchObject({ canBackUp: true, name: '产品讨论群', newestSeq: 300, archive: { newestSeq: 300, failedSeqs: 0, missingSeqs: 0 } });
    expect(cn.archive!.messages).toBeGreaterThan(200);
    expect(cn.archive!.lastBackupAt).toBeGreaterThan(0);

    const offline = await service.listGroups({ profile: profile.name, source: 'archive' });
    expect(offline.map((g) => g.groupId).sort()).toEqual(['big', 'cn', 'en']);
    expect(offline.find((g) => g.groupId === 'cn')!.archive).toEqual(cn.archive);

    const coverage = await service.coverage({ profile: profile.name, groupId: 'cn' });
    expect(coverage).toMatchObject({ groupId: 'cn', covered: [{ lo: 1, hi: 300 }], gaps: [], failedRanges: [] });
    expect(coverage.completeness).toMatchObject({ state: 'complete', counts: { newestKnown: 300 } });
    const counts = coverage.completeness.counts;
    expect(counts.archived + counts.recalled + counts.placeholders + counts.absent).toBe(300);
    expect(counts.messages).toBe(counts.archived + counts.recalled + counts.placeholders);
  });

  it('refuses a second backup of the same profile while one runs; cancel stops it consistently; fetchMissing completes it', async () => {
    const slow = await service.saveProfile({ profile: profileInput(world.emulator, { name: 'Slow', rate: 20 }) });
    await service.setSecretKey({ profile: 'Slow', secretKey: APP.secretKey });
    const started = await service.startBackup({ profile: 'Slow', groups: [{ groupId: 'big' }] });
    expect(await kindOf(service.startBackup({ profile: 'Slow', groups: [{ groupId: 'cn' }] }))).toBe('busy');
    await events.next('backupProgress', (e) => e.backupId === started.backupId && e.progress.windowsDone > 2);
    // A window opened now finds the backup and where it is (and nothing of another profile's).
    const running = await service.runningTasks({ profile: 'Slow' });
    expect(running).toMatchObject({ backup: { backupId: started.backupId }, exports: [] });
    expect(running.backup!.progress!.windowsDone).toBeGreaterThan(2);
    expect(await service.runningTasks({ profile: profile.name })).toEqual({ exports: [] });
    await service.cancelBackup({ profile: 'Slow' });
    const cancelled = await events.next('backupDone', (e) => e.backupId === started.backupId);
    expect(cancelled.summary.outcome).toBe('cancelled');
    expect(await service.runningTasks({ profile: 'Slow' })).toEqual({ exports: [] });

    // The archive file is consistent and says what is still missing.
    const archive = await Archive.open(slow.archivePath, { readOnly: true });
    const gid = archive.groups().find((g) => g.groupId === 'big')!.gid;
    const missing = archive.gaps(gid, 1, 1500);
    await archive.close();
    expect(missing.length).toBeGreaterThan(0);
    const before = await service.coverage({ profile: 'Slow', groupId: 'big' });
    expect(before.gaps.length).toBeGreaterThan(0);

    await service.saveProfile({ profile: profileInput(world.emulator, { name: 'Slow' }) });
    const fetched = await service.fetchMissing({ profile: 'Slow', groupId: 'big' });
    const done = await events.next('backupDone', (e) => e.backupId === fetched.backupId);
    expect(done.summary.outcome).toBe('ok');
    expect((await service.coverage({ profile: 'Slow', groupId: 'big' })).gaps).toEqual([]);
  });

  it('searches, reads and shows coverage of an archive while a backup writes to it, seeing what it has saved', async () => {
    await service.saveProfile({ profile: profileInput(world.emulator, { name: 'Live', rate: 20 }) });
    await service.setSecretKey({ profile: 'Live', secretKey: APP.secretKey });
    const started = await service.startBackup({ profile: 'Live', groups: [{ groupId: 'big' }] });
    await events.next('backupProgress', (e) => e.backupId === started.backupId && e.progress.windowsDone > 5);
    // Give the writer a commit (every 250 ms) to land.
    await new Promise((r) => setTimeout(r, 400));
    const ref = { profile: 'Live', groupId: 'big' };
    const early = await service.coverage(ref);
    const page = await service.readPage({ ...ref, anchor: { at: 'oldest' }, direction: 'after', limit: 20 });
    expect(page.messages.length).toBeGreaterThan(0);
    const hits = await service.search({ profile: 'Live', query: 'a', filter: { groupIds: ['big'] }, order: 'oldest', limit: 5 });
    expect(hits.hits.length).toBeGreaterThan(0);
    expect((await service.runningTasks({ profile: 'Live' })).backup).toBeDefined();
    const done = await events.next('backupDone', (e) => e.backupId === started.backupId);
    expect(done.summary.outcome).toBe('ok');
    // The reads saw a part of the group, and the finished backup all of it.
    const late = await service.coverage(ref);
    expect(late.gaps).toEqual([]);
    expect(early.gaps.length).toBeGreaterThan(0);
  });

  it('says the archive is locked when another backup holds it, and leaves it alone', async () => {
    const other = await service.saveProfile({ profile: profileInput(world.emulator, { name: 'Locked' }) });
    await service.setSecretKey({ profile: 'Locked', secretKey: APP.secretKey });
    const holder = await Archive.open(other.archivePath, { create: true });
    try {
      expect(await kindOf(service.startBackup({ profile: 'Locked', groups: [] }))).toBe('archive-locked');
    } finally {
      await holder.close();
    }
  });

  it('reports wrong credentials in the summary with their kind, and creates no archive for the profile', async () => {
    const saved = await service.saveProfile({ profile: profileInput(world.emulator, { name: 'Wrong key' }) });
    await service.setSecretKey({ profile: 'Wrong key', secretKey: 'c'.repeat(64) });
    const done = await backup([{ groupId: 'cn' }], 'Wrong key');
    expect(done.summary).toMatchObject({ outcome: 'failed', errorKind: 'credentials' });
    expect(done.summary.error).toMatch(/SecretKey/);
    expect(JSON.stringify(done)).not.toContain('c'.repeat(64));
    await expect(stat(saved.archivePath)).rejects.toThrow(/ENOENT/u);
  });

  it('takes an empty file at the archive path for "nothing backed up yet", and the first backup puts the archive there', async () => {
    const saved = await service.saveProfile({ profile: profileInput(world.emulator, { name: 'Empty file' }) });
    await service.setSecretKey({ profile: 'Empty file', secretKey: APP.secretKey });
    await mkdir(dirname(saved.archivePath), { recursive: true });
    await writeFile(saved.archivePath, '');
    expect(await service.listGroups({ profile: 'Empty file', source: 'archive' })).toEqual([]);
    const done = await backup([{ groupId: 'en' }], 'Empty file');
    expect(done.summary.outcome).toBe('ok');
    expect((await service.listGroups({ profile: 'Empty file', source: 'archive' })).map((g) => g.groupId)).toEqual(['en']);
  });
});

describe('a network that does not answer', () => {
  it('is named as such — on the listing and in a backup\'s summary — never as an error inside the app', async () => {
    const closed = await closedPort();
    await service.saveProfile({ profile: profileInput(world.emulator, { name: 'Unreachable', endpoint: `http://127.0.0.1:${closed}` }) });
    await service.setSecretKey({ profile: 'Unreachable', secretKey: APP.secretKey });
    expect(await kindOf(service.listGroups({ profile: 'Unreachable', source: 'tencent' }))).toBe('network');
    const done = await backup([{ groupId: 'cn' }], 'Unreachable');
    expect(done.summary).toMatchObject({ outcome: 'failed', errorKind: 'network' });
    expect(done.summary.error).not.toMatch(/inside/u);
  }, 60_000);
});

describe('the group listing', () => {
  it('keeps to Tencent’s 1 call per second for the app, even when two listings run at once', async () => {
    // Whatever listed the groups before this test is more than a second ago.
    await new Promise((r) => setTimeout(r, 1100));
    world.emulator.resetCounters();
    const [screen, backupOfAll] = await Promise.all([
      service.listGroups({ profile: profile.name, source: 'tencent' }),
      service.listGroups({ profile: profile.name, source: 'tencent' }),
    ]);
    expect(screen.length).toBe(4);
    expect(backupOfAll.length).toBe(4);
    const calls = world.emulator.counters().apis.get_appid_group_list!;
    // One page each, and neither refused as too fast (60007), which a retry would have hidden.
    expect(calls.requests).toBe(2);
    expect(calls.codes).toEqual({ '0': 2 });
  });
});

describe('search and the reader', () => {
  it('searches with filters and pages by keyset', async () => {
    const first = await service.search({ profile: profile.name, query: 'the', filter: { groupIds: ['en'] }, order: 'newest', limit: 5 });
    expect(first.hits).toHaveLength(5);
    expect(first.next).toBeDefined();
    for (const h of first.hits) {
      expect(h.groupId).toBe('en');
      expect(h.snippet.some((s) => s.match)).toBe(true);
    }
    const second = await service.search({ profile: profile.name, query: 'the', filter: { groupIds: ['en'] }, order: 'newest', limit: 5, after: first.next! });
    expect(second.hits[0]!.time).toBeLessThanOrEqual(first.hits.at(-1)!.time);
    expect(new Set([...first.hits, ...second.hits].map((h) => h.seq)).size).toBe(10);
    expect(await service.search({ profile: profile.name, query: '!!!', filter: {}, order: 'newest', limit: 5 })).toMatchObject({ hits: [], nothingToSearch: { en: expect.stringMatching(/^Nothing to search/u) as string, 'zh-CN': expect.stringMatching(/^没有可搜索的内容/u) as string } });
  });

  it('reads a group page by page in Seq order, jumps to a Seq and a date, and opens a message in context', async () => {
    const ref = { profile: profile.name, groupId: 'en' };
    const newest = await service.readPage({ ...ref, anchor: { at: 'newest' }, direction: 'before', limit: 50 });
    const seqs = newest.messages.map((m) => m.seq);
    expect(seqs).toHaveLength(50);
    expect(seqs.at(-1)).toBe(200);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(newest.hasAfter).toBe(false);
    expect(newest.hasBefore).toBe(true);
    const older = await service.readPage({ ...ref, anchor: { at: 'seq', seq: newest.messages[0]!.seq }, direction: 'before', limit: 50, exclusive: true });
    expect(older.messages.at(-1)!.seq).toBeLessThan(newest.messages[0]!.seq);
    const oldest = await service.readPage({ ...ref, anchor: { at: 'oldest' }, direction: 'after', limit: 10 });
    expect(oldest.hasBefore).toBe(false);
    expect(oldest.messages[0]!.seq).toBe(1);

    const target = oldest.messages[5]!;
    const jumped = await service.readPage({ ...ref, anchor: { at: 'time', time: target.time }, direction: 'around', limit: 3 });
    expect(jumped.messages.find((m) => m.seq === jumped.focusSeq)!.time).toBe(target.time);
    const context = await service.context({ ...ref, seq: target.seq, before: 2, after: 3 });
    expect(context.focusSeq).toBe(target.seq);
    expect(context.messages.map((m) => m.seq)).toEqual(oldest.messages.slice(3, 9).map((m) => m.seq));
    expect(context.messages[2]!.elements.length + (context.messages[2]!.contentKept ? 0 : 1)).toBeGreaterThan(0);

    expect(await kindOf(service.readPage({ ...ref, groupId: 'nope', anchor: { at: 'newest' }, direction: 'before', limit: 5 }))).toBe('not-found');
  });
});

describe('export', () => {
  it('exports jsonl in the background and reports where the file is', async () => {
    const out = join(world.dir, 'en.jsonl');
    const { exportId } = await service.export({ profile: profile.name, format: 'jsonl', out, filter: { groupIds: ['en'] }, lang: 'en' });
    // Still running when asked at once: a window reloaded now re-attaches to it.
    const running = await service.runningTasks({ profile: profile.name });
    expect(running.exports).toEqual([{ exportId, messages: expect.any(Number), total: expect.any(Number) }]);
    expect(await service.runningTasks({ profile: 'Slow' })).toEqual({ exports: [] });
    const done = await events.next('exportDone', (e) => e.exportId === exportId);
    expect(done).toMatchObject({ profile: profile.name, result: { ok: true, value: { path: out, groups: 1 } } });
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(done.result.ok && done.result.value.messages).toBe(lines.length);
    expect(events.all('exportProgress').filter((e) => e.exportId === exportId).at(-1)).toMatchObject({ profile: profile.name, messages: lines.length, total: lines.length });
    expect(running.exports[0]!.total).toBe(lines.length);
    expect(await service.runningTasks({ profile: profile.name })).toEqual({ exports: [] });
  });

  it('reports an export that cannot be written as an exportDone error, in the app’s words', async () => {
    const { exportId } = await service.export({ profile: profile.name, format: 'jsonl', out: join(world.dir, 'no-such-folder', 'x.jsonl'), filter: {}, lang: 'en' });
    const done = await events.next('exportDone', (e) => e.exportId === exportId);
    expect(done.result).toMatchObject({ ok: false, error: { kind: 'output', message: expect.stringContaining('change the destination') } });
    expect(JSON.stringify(done)).not.toContain('--out');
  });

  it('follows the CLI\'s destination rules: never the archive, an existing file only when the person confirmed, said in every language of the window', async () => {
    const refusal = async (args: { out: string; format?: 'jsonl' | 'csv' | 'html'; replace?: boolean; lang?: 'en' | 'zh-CN' }) => {
      const { exportId } = await service.export({ profile: profile.name, format: args.format ?? 'jsonl', out: args.out, filter: {}, lang: args.lang ?? 'en', ...(args.replace !== undefined ? { replace: args.replace } : {}) });
      const done = await events.next('exportDone', (e) => e.exportId === exportId);
      return done.result.ok ? undefined : done.result.error;
    };
    const archiveBytes = await readFile(profile.archivePath);
    for (const out of [profile.archivePath, `${profile.archivePath}-wal`, `${profile.archivePath}.lock`]) {
      expect(await refusal({ out, replace: true })).toMatchObject({ kind: 'output', message: expect.stringContaining('An export never writes there. Choose another name for the destination.') });
    }
    expect(await readFile(profile.archivePath)).toEqual(archiveBytes);

    const mine = join(world.dir, 'mine.csv');
    await writeFile(mine, 'precious');
    const exists = { en: `${mine} already exists. Choose another name, or confirm that it may be replaced.`, 'zh-CN': `${mine} 已存在。请换一个名称，或确认可以替换它。` };
    // The transcript's language is not the window's: the window picks its own from `said`.
    expect(await refusal({ out: mine, format: 'csv' })).toEqual({ kind: 'output', message: exists.en, said: exists });
    expect(await refusal({ out: mine, format: 'csv', lang: 'zh-CN' })).toEqual({ kind: 'output', message: exists.en, said: exists });
    expect(await readFile(mine, 'utf8')).toBe('precious');
    expect(await refusal({ out: mine, format: 'csv', replace: true })).toBeUndefined();
    expect(await readFile(mine, 'utf8')).toMatch(/^\ufeffgroup,seq,time/u);
    expect(await refusal({ out: '/proc/1/x', format: 'html', lang: 'zh-CN' })).toMatchObject({
      kind: 'output',
      said: { 'zh-CN': '无法写入 /proc/1/x：/proc/1 是系统文件夹（如 /proc、/sys），不能存放文件。请为目标位置选择磁盘上的文件夹。没有留下写了一半的文件。' },
    });
  });
});

describe('members (the People view)', () => {
  it('lists a group’s people with their group card history and who left, as the emulator changed them', async () => {
    expect((await backup([{ groupId: 'en' }])).summary.outcome).toBe('ok');
    const people = world.emulator.people(APP.sdkAppId);
    const [renamed, leaving] = people.members('en');
    const oldCard = renamed!.nameCard;
    people.setCard('en', renamed!.account, '新群名片 New card');
    people.leave('en', leaving!.account);
    expect((await backup([{ groupId: 'en' }])).summary.outcome).toBe('ok');

    const members = await service.members({ profile: profile.name, groupId: 'en' });
    const r = members.find((m) => m.account === renamed!.account)!;
    expect(r).toMatchObject({ card: '新群名片 New card', name: '新群名片 New card' });
    expect(r.history.card.map((p) => p.value)).toEqual([...(oldCard ? [oldCard] : []), '新群名片 New card']);
    expect(r.leftAt).toBeUndefined();
    const l = members.find((m) => m.account === leaving!.account)!;
    expect(l.leftAt).toBeGreaterThan(0);
    // Current members come first, then those who left.
    expect(members.findIndex((m) => m.account === leaving!.account)).toBeGreaterThan(members.findIndex((m) => m.account === renamed!.account));
    expect(members.filter((m) => m.lastSeen !== undefined && m.leftAt === undefined).length).toBe(people.members('en').length);
  });

  it('says a group not archived is not found', async () => {
    expect(await kindOf(service.members({ profile: profile.name, groupId: 'live' }))).toBe('not-found');
  });
});

describe('people (the People view across groups)', () => {
  it('lists each person once with all their groups, messages summed, roles and cards per group, and their stored avatar', async () => {
    const people = world.emulator.people(APP.sdkAppId);
    // A new account in both groups: its profile is read in this backup whatever earlier tests read.
    const both = { account: 'in-both-groups' };
    people.join('en', both.account, 'Card in Engineering');
    people.join('cn', both.account, '两个群 Both');
    people.setNick(both.account, 'Both 两边');
    expect((await backup([{ groupId: 'cn' }, { groupId: 'en' }])).summary.outcome).toBe('ok');

    const everyone = await service.people({ profile: profile.name });
    const accounts = everyone.map((p) => p.account);
    expect(new Set(accounts).size).toBe(accounts.length);
    // Every archived group of the profile (earlier tests may have backed up others too).
    const perGroup = new Map<string, Awaited<ReturnType<typeof service.members>>>();
    for (const { groupId } of await service.listGroups({ profile: profile.name, source: 'archive' })) perGroup.set(groupId, await service.members({ profile: profile.name, groupId }));
    expect([...perGroup.keys()]).toEqual(expect.arrayContaining(['cn', 'en']));
    // Everyone of each group is there, and nobody else.
    expect(new Set(accounts)).toEqual(new Set([...perGroup.values()].flatMap((ms) => ms.map((m) => m.account))));
    for (const person of everyone) {
      const entries = [...perGroup].flatMap(([groupId, ms]) => ms.filter((m) => m.account === person.account).map((m) => ({ groupId, m })));
      expect(person.groups.map((g) => g.groupId).sort()).toEqual(entries.map((e) => e.groupId).sort());
      expect(person.messages).toBe(entries.reduce((n, e) => n + e.m.messages, 0));
      for (const { groupId, m } of entries) {
        expect(person.groups.find((g) => g.groupId === groupId)).toMatchObject({ messages: m.messages, ...(m.role ? { role: m.role } : {}), ...(m.card !== undefined ? { card: m.card } : {}) });
      }
    }
    const p = everyone.find((x) => x.account === both.account)!;
    expect(p.groups.map((g) => g.groupName).sort()).toEqual(['Engineering', '产品讨论群']);
    expect(p).toMatchObject({ name: 'Both 两边', nick: 'Both 两边' });
    const image = people.profile(both.account)!.image;
    expect(p.avatar).toBe(image);
    expect(p.avatarSha256).toBe(createHash('sha256').update(world.emulator.media.avatarBytes(image)).digest('hex'));
    expect(p.history.avatar.at(-1)).toMatchObject({ value: image, sha256: p.avatarSha256 });
  });

  it('is empty for a profile with nothing backed up yet', async () => {
    await service.saveProfile({ profile: { ...profileInput(world.emulator, { name: 'Nothing yet' }), archivePath: join(world.dir, 'nothing-yet.sqlite') } });
    expect(await service.people({ profile: 'Nothing yet' })).toEqual([]);
  });
});

describe('error messages', () => {
  it('never carry a SecretKey the worker has handled', () => {
    const scrubber = new SecretScrubber();
    scrubber.remember(APP.secretKey);
    const e = scrubber.toAppError(new Error(`request failed with ${APP.secretKey} in it`));
    expect(e.kind).toBe('internal');
    expect(e.message).not.toContain(APP.secretKey);
    expect(e.message).toContain('[SecretKey]');
  });
});

async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}
