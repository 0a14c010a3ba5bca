import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { copyFile, lstat, readdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { Archive, type ArchiveError, rowsOf } from '../../app/archive';
import { WAL_CEILING, WAL_RESTART_AT } from '../../app/archive/archive';
import { chooseJournal } from '../../app/archive/journal';
import { type GroupMsg, LIMITS } from '../../app/im/wire';
import { search } from '../../app/search';
import { chatMessage, chatWindow, prng } from './chat';
import { childCommand, mountTmpfs, onCleanup, spawnChild, tempDir, textMsg } from './helpers';

const WINDOW = LIMITS.msgsPerCall;

/** Lines the child printed so far, as they arrive. */
function lines(stream: NodeJS.ReadableStream): string[] {
  const out: string[] = [];
  let partial = '';
  stream.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop()!;
    out.push(...parts);
  });
  return out;
}

/** Starts ./fixtures/child.ts ingesting into `path` and resolves once `ready(lines)` holds. */
async function ingesting(path: string, ready: (out: string[]) => boolean) {
  const child = spawnChild(['ingest', path, '1']);
  const out = lines(child.stdout!);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => ready(out) && resolve());
    child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
  });
  return { child, out };
}

/** Every covered Seq of the crash group is stored, exactly as generated, and nothing else: a prefix of windows. */
function expectExactPrefix(archive: Archive): number {
  const gid = archive.groups()[0]!.gid;
  const covered = archive.coverage(gid).covered;
  expect(covered).toHaveLength(1);
  const windows = covered[0]!.hi / WINDOW;
  expect(covered[0]).toEqual({ lo: 1, hi: windows * WINDOW });
  let seq = 0;
  for (const [s, raw] of rowsOf(archive.db, 'SELECT seq, raw FROM messages WHERE gid = ? ORDER BY seq', gid)) {
    expect(s).toBe(++seq);
    expect(JSON.parse(String(raw)) as GroupMsg).toEqual(chatMessage(1, Number(s)));
  }
  expect(seq).toBe(windows * WINDOW);
  return windows;
}

describe('durability: kill -9 at any moment', () => {
  it('inside a commit, inside a WAL checkpoint and at random: the archive opens (after its integrity check) and holds an exact prefix of at least what was confirmed', async () => {
    const dir = await tempDir();
    const path = join(dir, 'crash.sqlite');
    const random = prng(20261203);
    const landed = new Map<string, number>();
    let lastWindows = 0;
    /** One ingesting child killed at `aim` (or at a random moment), then the archive checked; true if the kill landed. */
    const crashOnce = async (aim: 'commit' | 'walcheckpoint' | undefined): Promise<boolean> => {
      const { child, out } = await ingesting(path, (o) => {
        const confirmed = o.some((l) => l.startsWith('saved '));
        return confirmed && (aim === undefined || o.at(-1)!.startsWith(aim));
      });
      if (aim === undefined) await new Promise((r) => setTimeout(r, random() * 300));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const last = out.at(-1)!;
      const hit = aim !== undefined && last.startsWith(aim) && last !== 'walcheckpoint done';
      if (hit) landed.set(aim, (landed.get(aim) ?? 0) + 1);
      const confirmed = Number(out.filter((l) => l.startsWith('saved ')).at(-1)!.split(' ')[1]);

      // Opening as a writer takes over the dead child's lock, so SQLite's integrity check runs first.
      const archive = await Archive.open(path);
      expect(archive.verification).toBe('checked');
      const windows = expectExactPrefix(archive);
      expect(windows).toBeGreaterThanOrEqual(Math.max(confirmed, lastWindows));
      // The full-text index holds exactly the committed messages: one row each (none is a placeholder here).
      const withText = Number(rowsOf(archive.db, "SELECT count(*) FROM messages WHERE text != ''")[0]![0]);
      expect(search(archive, '大家好').hits.length).toBeGreaterThan(0);
      expect(withText).toBe(windows * WINDOW);
      expect(archive.verify().ok).toBe(true);
      await archive.close();
      expect((await readdir(dir)).sort()).toEqual(['crash.sqlite']);
      lastWindows = windows;
      return hit;
    };
    // A checkpoint can finish between the child's line and the kill: aimed kills are retried until one lands
    // (every try still checks the archive it leaves behind).
    for (const aim of ['commit', 'walcheckpoint'] as const) {
      for (let tries = 0; tries < 10 && !(await crashOnce(aim)); tries++);
    }
    for (let i = 0; i < 3; i++) await crashOnce(undefined);
    // The aimed kills really landed inside a commit and inside a WAL checkpoint at least once each.
    expect(landed.get('commit') ?? 0).toBeGreaterThanOrEqual(1);
    expect(landed.get('walcheckpoint') ?? 0).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('while a new archive is being created: nothing half-made at its path, and the next creation clears the remains', async (ctx) => {
    if (spawnSync('strace', ['-V']).status !== 0) return ctx.skip();
    // strace kills the child at its first write to `file` (-P: only calls naming that file).
    const killedAtFirstWrite = (path: string, file: string) => {
      const child = childCommand(['open', path]);
      const r = spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', '-P', file, '-e', 'trace=pwrite64,write', '-e', 'inject=pwrite64,write:signal=SIGKILL:when=1', child.file, ...child.args], { cwd: child.cwd });
      return r.status !== 0;
    };
    const dir = await tempDir();
    const path = join(dir, 'new.sqlite');
    // Inside the creation: the archive's path holds nothing, so the next open is a creation again, and a clean one.
    expect(killedAtFirstWrite(path, `${path}.creating`)).toBe(true);
    await expect(lstat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readdir(dir)).some((n) => n.startsWith('new.sqlite.creating'))).toBe(true);
    const created = await Archive.open(path, { create: true });
    await created.close();
    expect((await readdir(dir)).filter((n) => n.startsWith('new.sqlite.creating'))).toEqual([]);
    // At the first write to the archive's own path, it is already whole.
    const other = join(dir, 'other.sqlite');
    expect(killedAtFirstWrite(other, other)).toBe(true);
    const opened = await Archive.open(other, { readOnly: true });
    expect(opened.verify({ quick: true }).ok).toBe(true);
    await opened.close();
  }, 60_000);
});

/**
 * Runs a child mode under strace; returns its output and, between two of its step markers, the disk flushes its
 * engine's thread (the one that marks the steps) made of files whose path contains `of`.
 */
async function traced(args: string[]): Promise<{ out: string; steps: string[]; flushes: (from: string, to: string, of: string) => number }> {
  const dir = await tempDir();
  const trace = join(dir, 'trace.log');
  const child = childCommand([args[0]!, join(dir, 'run.sqlite'), ...args.slice(1)]);
  const out = execFileSync('strace', ['-f', '--seccomp-bpf', '-y', '-e', 'trace=fsync,fdatasync,access,faccessat,faccessat2', '-o', trace, child.file, ...child.args], { cwd: child.cwd }).toString();
  // "<thread> <call>(<fd></path>...": the engine's thread is the one that marks the run's steps.
  const calls = (await readFile(trace, 'utf8')).split('\n').map((l) => /^(\d+) +(\w+)\((.*)/u.exec(l)).filter((m) => m !== null);
  const marks = calls.filter((m) => m[3]!.includes('/nonexistent/tim-step-'));
  const engine = marks[0]![1];
  const at = (step: string) => calls.findIndex((m) => m[3]!.startsWith(`"/nonexistent/tim-step-${step}"`));
  return {
    out,
    steps: marks.map((m) => m[3]!.slice('"/nonexistent/tim-step-'.length, m[3]!.indexOf('"', 1))),
    flushes: (from, to, of) => calls.slice(at(from), at(to)).filter((m) => m[1] === engine && /^f(data)?sync$/u.test(m[2]!) && m[3]!.includes(of)).length,
  };
}

describe('flushing to the disk', () => {
  it("a backup's commits do not wait for the disk on the engine's thread; the end of the run does", async (ctx) => {
    if (spawnSync('strace', ['-V']).status !== 0) return ctx.skip();
    const run = await traced(['run']);
    expect(run.steps).toEqual(['storing', 'finishing', 'finished']);
    // Five commits of windows: none flushed by the engine's thread (the checkpointer's thread does it).
    expect(run.flushes('storing', 'finishing', 'run.sqlite-wal>')).toBe(0);
    // The run's end: flushed before finishRun returns.
    expect(run.flushes('finishing', 'finished', 'run.sqlite-wal>')).toBeGreaterThan(0);
  }, 120_000);

  it("a long backup's log starts over again and again and its file stays small, with no checkpoint on the engine's thread", async (ctx) => {
    if (spawnSync('strace', ['-V']).status !== 0) return ctx.skip();
    // More than the ceiling at which the writer would copy the log itself goes through the log.
    const run = await traced(['long', String(2 * WAL_CEILING)]);
    expect(run.steps).toEqual(['storing', 'finishing']);
    // It never copied the log into the file itself (a checkpoint flushes the file); starting the log over costs
    // it only the flush of the log's new header, which SQLite makes so that a power cut cannot mix two logs.
    expect(run.flushes('storing', 'finishing', 'run.sqlite>')).toBe(0);
    const { walPeak } = JSON.parse(run.out) as { walPeak: number };
    expect(walPeak).toBeGreaterThan(0);
    expect(walPeak).toBeLessThan(WAL_CEILING);
  }, 240_000);
});

describe('readers during a backup', () => {
  it('a reader in another process sees commits as they land, each whole: never a covered Seq it cannot read', async () => {
    const dir = await tempDir();
    const path = join(dir, 'live.sqlite');
    const { child } = await ingesting(path, (o) => o.some((l) => l.startsWith('saved ')));
    const reader = await Archive.open(path, { readOnly: true });
    onCleanup(() => reader.close());
    const seen: number[] = [];
    for (let i = 0; seen.length < 4 && i < 400; i++) {
      // One read transaction: coverage and rows from the same commit.
      reader.db.exec('BEGIN');
      const gid = reader.groups()[0]!.gid;
      const covered = reader.coverage(gid).covered[0]!;
      const [[rows, fts]] = rowsOf(reader.db, "SELECT count(*), sum(text != '') FROM messages WHERE gid = ?", gid) as [[number, number]];
      reader.db.exec('COMMIT');
      expect(covered.lo).toBe(1);
      expect(rows).toBe(covered.hi);
      expect(fts).toBe(rows);
      if (seen.at(-1) !== covered.hi) seen.push(covered.hi);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    // It saw several commits while the writer went on writing.
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  }, 60_000);

  it('a reader that holds on to the log for long: the log cannot start over, and storing does not wait at every commit for it', async () => {
    const dir = await tempDir();
    const path = join(dir, 'held.sqlite');
    const archive = await Archive.open(path, { create: true });
    onCleanup(() => archive.close());
    const gid = archive.upsertGroup({ sdkAppId: 1400000001, groupId: 'held' });
    const runId = archive.beginRun();
    const store = (w: number) => archive.storeWindow(gid, w * WINDOW + 1, (w + 1) * WINDOW, chatWindow(3, w * WINDOW + 1, (w + 1) * WINDOW), runId);
    store(0);
    archive.commit();
    // Another program's read transaction, left open: its snapshot keeps the whole log from being copied.
    const reader = new DatabaseSync(path, { readOnly: true });
    onCleanup(async () => reader.close());
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM messages').get();
    const logBytes = () => statSync(`${path}-wal`).size;
    let waits = 0;
    let commits = 0;
    for (let w = 1; logBytes() < 4 * WAL_RESTART_AT; w++) {
      // Settled already, writable()'s callback runs first; pending, the other one does.
      const ready = await Promise.race([archive.writable().then(() => true), Promise.resolve().then(() => false)]);
      if (!ready) {
        waits++;
        await archive.writable();
      }
      const before = archive.dirty;
      store(w);
      if (before && !archive.dirty) commits++;
    }
    reader.exec('COMMIT');
    // Asked once per WAL_RESTART_AT of log (16, 32, 48 MB), not after each of the commits past the first 16 MB.
    expect(commits).toBeGreaterThan(6);
    expect(waits).toBeGreaterThan(0);
    expect(waits).toBeLessThanOrEqual(3);
  }, 120_000);

  it('the sqlite3 shell (another program) reads the archive safely while a backup writes', async (ctx) => {
    if (spawnSync('sqlite3', ['-version']).status !== 0) return ctx.skip();
    const dir = await tempDir();
    const path = join(dir, 'shell.sqlite');
    const { child } = await ingesting(path, (o) => o.some((l) => l.startsWith('saved ')));
    let previous = 0;
    for (let i = 0; i < 5; i++) {
      const answer = execFileSync('sqlite3', ['-readonly', path, "SELECT count(*) FROM messages; SELECT hi FROM seq_ranges WHERE status = 'covered'"]).toString().trim().split('\n').map(Number);
      expect(answer[0]).toBe(answer[1]);
      expect(answer[0]).toBeGreaterThanOrEqual(previous);
      previous = answer[0]!;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    expect(previous).toBeGreaterThan(0);
  }, 60_000);
});

describe('where the archive lives', () => {
  it('an archive reached through a symbolic link keeps its log beside the real file; the link stays a link', async () => {
    const dir = await tempDir();
    const real = join(dir, 'real.sqlite');
    const link = join(dir, 'link.sqlite');
    await symlink(real, link);
    const archive = await Archive.open(link, { create: true });
    expect(archive.path).toBe(await realpath(real));
    const gid = archive.upsertGroup({ sdkAppId: 1, groupId: 'g' });
    archive.storeWindow(gid, 1, 20, chatWindow(1, 1, 20), archive.beginRun());
    archive.commit();
    expect((await readdir(dir)).sort()).toEqual(['link.sqlite', 'real.sqlite', 'real.sqlite-shm', 'real.sqlite-wal', 'real.sqlite.lock']);
    await archive.close();
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    const reader = await Archive.open(link, { readOnly: true });
    expect(reader.stats(gid).archived).toBe(20);
    await reader.close();
  });

  it('a new archive that cannot be moved into place (the empty file there is immutable): a clear error, nothing left behind', async (ctx) => {
    const dir = await tempDir();
    const path = join(dir, 'stuck.sqlite');
    await writeFile(path, '');
    if (spawnSync('chattr', ['+i', path]).status !== 0) return ctx.skip();
    onCleanup(async () => void spawnSync('chattr', ['-i', path]));
    const err = (await Archive.open(path, { create: true }).catch((e: unknown) => e)) as ArchiveError;
    expect(err.kind).toBe('unwritable');
    expect(err.message).toContain(path);
    expect(err.message).toContain('cannot be moved into place (EPERM)');
    expect((await readdir(dir)).sort()).toEqual(['stuck.sqlite']);
    expect(statSync(path).size).toBe(0);
  });

  it('disk full (a real 4 MB tmpfs): a clear error, the archive stays valid with what was committed, and continues once there is room', async (ctx) => {
    const small = await mountTmpfs('size=4m');
    if (!small) return ctx.skip();
    const path = join(small, 'full.sqlite');
    const archive = await Archive.open(path, { create: true });
    const gid = archive.upsertGroup({ sdkAppId: 1, groupId: 'g' });
    const runId = archive.beginRun();
    let windows = 0;
    let failure: ArchiveError | undefined;
    try {
      for (; windows < 5000; windows++) {
        archive.storeWindow(gid, windows * WINDOW + 1, (windows + 1) * WINDOW, chatWindow(1, windows * WINDOW + 1, (windows + 1) * WINDOW), runId);
        if (windows % 10 === 9) archive.commit();
      }
    } catch (err) {
      failure = err as ArchiveError;
    }
    expect(failure).toMatchObject({ kind: 'disk-full', message: expect.stringMatching(/disk is full.*What was saved before is intact/) });
    await archive.close().catch(() => undefined);
    // Room again (the archive moves to a bigger place, as a person would free space): it opens, whole.
    const roomy = join(await tempDir(), 'full.sqlite');
    for (const f of await readdir(small)) if (f.startsWith('full.sqlite') && !f.endsWith('.lock')) await copyFile(join(small, f), join(roomy, '..', f));
    const again = await Archive.open(roomy);
    expect(again.verify().ok).toBe(true);
    const stored = expectExactPrefix(again);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThanOrEqual(windows);
    again.storeWindow(gid, stored * WINDOW + 1, (stored + 1) * WINDOW, chatWindow(1, stored * WINDOW + 1, (stored + 1) * WINDOW), again.beginRun());
    again.commit();
    expect(expectExactPrefix(again)).toBe(stored + 1);
    await again.close();
  });

  it('read-only media: the archive can be read and searched, and a backup is refused with a clear error', async (ctx) => {
    const dir = await tempDir();
    const source = join(dir, 'ro.sqlite');
    const archive = await Archive.open(source, { create: true });
    const gid = archive.upsertGroup({ sdkAppId: 1, groupId: 'g' });
    archive.storeWindow(gid, 1, 2, [textMsg(1, '只读光盘上的存档'), textMsg(2, 'read only media')], archive.beginRun());
    await archive.close();
    const media = await mountTmpfs('size=2m');
    if (!media) return ctx.skip();
    await copyFile(source, join(media, 'ro.sqlite'));
    execFileSync('mount', ['-o', 'remount,ro', media]);
    const before = await readFile(join(media, 'ro.sqlite'));
    const reader = await Archive.open(join(media, 'ro.sqlite'), { readOnly: true });
    expect(search(reader, '光盘').hits.map((h) => h.seq)).toEqual([1]);
    await reader.close();
    await expect(Archive.open(join(media, 'ro.sqlite'))).rejects.toMatchObject({ kind: 'unwritable', message: expect.stringMatching(/cannot be written/) });
    expect(Buffer.compare(await readFile(join(media, 'ro.sqlite')), before)).toBe(0);
  });
});

describe('drives without a write-ahead log', () => {
  it('network file systems and shares get the rollback journal; local drives get WAL', () => {
    const env = {};
    expect(chooseJournal('/mnt/nas/a.sqlite', '/mnt/nas', env, () => 0x6969, 'linux')).toEqual({ mode: 'rollback', reason: 'it is on an NFS network drive' });
    expect(chooseJournal('/mnt/smb/a.sqlite', '/mnt/smb', env, () => 0xfe534d42, 'linux').mode).toBe('rollback');
    expect(chooseJournal('/home/a.sqlite', '/home', env, () => 0xef53, 'linux')).toEqual({ mode: 'wal' });
    expect(chooseJournal('\\\\server\\share\\a.sqlite', '\\\\server\\share', env, () => undefined, 'win32').mode).toBe('rollback');
    expect(chooseJournal('C:\\data\\a.sqlite', 'C:\\data', env, () => undefined, 'win32').mode).toBe('wal');
    expect(chooseJournal('/home/a.sqlite', '/home', { TIM_ARCHIVE_JOURNAL: 'rollback' }, () => 0xef53, 'linux').mode).toBe('rollback');
  });

  it('on such a drive the archive uses the rollback journal, says so once, and is just as exact after a kill -9', async () => {
    const dir = await tempDir();
    const path = join(dir, 'nas.sqlite');
    const nfs = () => 0x6969;
    const archive = await Archive.open(path, { create: true, fsTypeOf: nfs });
    expect(archive.journal).toEqual({ mode: 'rollback', reason: 'it is on an NFS network drive', tellOwner: true });
    archive.journalToldOwner();
    const gid = archive.upsertGroup({ sdkAppId: 1, groupId: 'g' });
    archive.storeWindow(gid, 1, 20, chatWindow(1, 1, 20), archive.beginRun());
    await archive.close();
    expect((await readFile(path))[18]).toBe(1); // rollback journal in the header
    const again = await Archive.open(path, { fsTypeOf: nfs });
    expect(again.journal.tellOwner).toBe(false);
    await again.close();

    // A backup killed on such a drive (the child is told by the variable a person would set).
    process.env.TIM_ARCHIVE_JOURNAL = 'rollback';
    const crash = join(dir, 'crash.sqlite');
    try {
      const { child, out } = await ingesting(crash, (o) => o.filter((l) => l.startsWith('saved ')).length >= 2);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const confirmed = Number(out.filter((l) => l.startsWith('saved ')).at(-1)!.split(' ')[1]);
      const reopened = await Archive.open(crash);
      expect(reopened.journal.mode).toBe('rollback');
      expect(expectExactPrefix(reopened)).toBeGreaterThanOrEqual(confirmed);
      await reopened.close();
    } finally {
      delete process.env.TIM_ARCHIVE_JOURNAL;
    }
  }, 60_000);
});

describe('the SQLite build', () => {
  it('one without the full-text module the archive needs is refused with a clear error (a custom Node build, say)', async () => {
    const { requireFullText } = await import('../../app/archive/sqlite');
    // This machine's SQLite has FTS4 (the archive tests above depend on it); a build without it answers like this.
    const withoutFts = { exec: () => { throw new Error('no such module: fts4'); } } as unknown as Parameters<typeof requireFullText>[0];
    expect(() => requireFullText(withoutFts, '/x/a.sqlite')).toThrow(/lacks the full-text search module \(FTS4\).*Node\.js 24/);
    // Any other failure is not mistaken for a missing module.
    const broken = { exec: () => { throw new Error('disk I/O error'); } } as unknown as Parameters<typeof requireFullText>[0];
    expect(() => requireFullText(broken, '/x/a.sqlite')).toThrow(/disk I\/O error/);
  });
});
