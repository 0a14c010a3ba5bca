import { lstat, open, readdir, readFile, rm, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive, ArchiveError, type FileOps } from '../../app/archive';
import { nodeFileOps } from '../../app/archive/durable';
import { type GroupMsg, LIMITS } from '../../app/im/wire';
import { chatMessage, chatWindow, prng } from './chat';
import { expectSaved, type Step, testOps } from './fileops';
import { mountTmpfs, onCleanup, recalled, spawnChild, tempDir, textMsg } from './helpers';

const WINDOW = LIMITS.msgsPerCall;

interface Fixture {
  archive: Archive;
  path: string;
  gid: number;
  runId: number;
  /** Windows of group `gid` stored so far. */
  windows: number;
}

async function archiveWith(dir: string, windows: number, fileOps?: FileOps): Promise<Fixture> {
  const path = join(dir, 'a.sqlite');
  const archive = await Archive.open(path, { create: true, ...(fileOps ? { fileOps } : {}) });
  onCleanup(() => archive.close());
  const gid = archive.upsertGroup({ sdkAppId: 1, groupId: 'g' });
  const f: Fixture = { archive, path, gid, runId: archive.beginRun(), windows: 0 };
  addWindows(f, windows);
  return f;
}

function addWindows(f: Fixture, count: number, seed = 1): void {
  for (let end = f.windows + count; f.windows < end; f.windows++) {
    const lo = f.windows * WINDOW + 1;
    f.archive.storeWindow(f.gid, lo, lo + WINDOW - 1, chatWindow(seed, lo, lo + WINDOW - 1), f.runId);
  }
}

/** Two checkpoints: the second leaves the first behind as the shadow, so the ones after it patch. */
async function steady(f: Fixture): Promise<void> {
  await f.archive.checkpoint();
  addWindows(f, 1);
  await f.archive.checkpoint();
}

async function besideArchive(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

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

describe('incremental checkpoints', () => {
  it('write only what changed, and the file is always exactly the database, across random inserts, recalls, new groups and index rebuilds', async () => {
    const t = testOps();
    const f = await archiveWith(await tempDir(), 40, t.ops);
    await steady(f);
    const random = prng(7);
    const groups = [f.gid];
    let recalls = 0;
    let rebuilds = 0;
    for (let round = 0; round < 24; round++) {
      const x = random();
      if (x < 0.45) {
        const gid = groups[Math.floor(random() * groups.length)]!;
        const newest = f.archive.coverage(gid).covered.at(-1)?.hi ?? 0;
        const n = 1 + Math.floor(random() * 200);
        f.archive.storeWindow(gid, newest + 1, newest + n, chatWindow(gid, newest + 1, newest + n), f.runId);
      } else if (x < 0.75) {
        // Read back an archived window with some messages recalled since: changes, not new rows.
        const lo = 1 + WINDOW * Math.floor(random() * 40);
        const answer = chatWindow(1, lo, lo + WINDOW - 1).map((m) => (random() < 0.3 ? recalled(m) : m));
        recalls += f.archive.storeWindow(f.gid, lo, lo + WINDOW - 1, answer, f.runId).changed;
      } else if (x < 0.92) {
        const gid = f.archive.upsertGroup({ sdkAppId: 2, groupId: `g${round}` });
        groups.push(gid);
        f.archive.storeWindow(gid, 1, 60, chatWindow(gid, 1, 60), f.runId);
      } else {
        f.archive.rebuildIndex();
        rebuilds++;
      }
      t.written = 0;
      const saved = await f.archive.checkpoint();
      expect(saved.written).toBe(t.written);
      expect(saved.bytes).toBe((await stat(f.path)).size);
      await expectSaved(f.archive);
    }
    expect(recalls).toBeGreaterThan(0);
    expect(groups.length).toBeGreaterThan(1);
    expect(rebuilds).toBeGreaterThan(0);
  });

  it('a small change on a big archive writes a small part of the file', async () => {
    const t = testOps();
    const f = await archiveWith(await tempDir(), 250, t.ops);
    await steady(f);
    const size = (await stat(f.path)).size;
    expect(size).toBeGreaterThan(3 << 20);
    for (let i = 0; i < 3; i++) {
      f.archive.storeWindow(f.gid, f.windows * WINDOW + 1, f.windows * WINDOW + 1, [textMsg(f.windows * WINDOW + 1, `one more ${i}`)], f.runId);
      f.windows++;
      t.written = 0;
      const saved = await f.archive.checkpoint();
      // The shadow is two checkpoints behind: the pages of both changes, a few dozen KB.
      expect(t.written).toBeLessThan(size / 20);
      expect(saved.written).toBe(t.written);
      await expectSaved(f.archive);
    }
    await f.archive.close();
    expect(await besideArchive(join(f.path, '..'))).toEqual(['a.sqlite', 'a.sqlite.seal']);
  });

  it('a session on an existing archive patches from the first checkpoint on (the shadow is seeded at open)', async () => {
    const dir = await tempDir();
    const f = await archiveWith(dir, 100);
    await f.archive.close({ checkpoint: true });
    const size = (await stat(f.path)).size;
    const t = testOps();
    const again = { ...f, archive: await Archive.open(f.path, { fileOps: t.ops }) };
    onCleanup(() => again.archive.close());
    addWindows(again, 1);
    const saved = await again.archive.checkpoint();
    expect(saved.written).toBeLessThan(size / 10);
    await expectSaved(again.archive);
  });

  it('a failed seed copy costs one whole write, then checkpoints patch again', async () => {
    const dir = await tempDir();
    const f = await archiveWith(dir, 100);
    await f.archive.close({ checkpoint: true });
    const t = testOps();
    t.failing = { step: 'copy', code: 'ENOSPC' };
    const again = { ...f, archive: await Archive.open(f.path, { fileOps: t.ops }) };
    onCleanup(() => again.archive.close());
    t.failing = undefined;
    addWindows(again, 1);
    const first = await again.archive.checkpoint();
    expect(first.written).toBe(first.bytes);
    addWindows(again, 1);
    await again.archive.checkpoint();
    addWindows(again, 1);
    const third = await again.archive.checkpoint();
    expect(third.written).toBeLessThan(third.bytes / 4);
    await expectSaved(again.archive);
  });

  it('a shadow deleted by someone else during a session is written whole again; the checkpoint does not fail', async () => {
    const f = await archiveWith(await tempDir(), 30);
    await steady(f);
    await rm(`${f.path}.shadow`);
    addWindows(f, 1);
    const saved = await f.archive.checkpoint();
    expect(saved.written).toBe(saved.bytes);
    await expectSaved(f.archive);
  });

  it('a file another program wrote to is never patched: the archive it became the shadow of is written whole', async () => {
    const f = await archiveWith(await tempDir(), 30);
    await steady(f);
    // DB Browser (say) holds the archive open and writes to it; two checkpoints later that file is our shadow.
    addWindows(f, 1);
    await f.archive.checkpoint();
    const held = await open(`${f.path}.shadow`, 'r+');
    await held.write(Buffer.alloc(4096, 0x5a), 0, 4096, 8192);
    await held.close();
    addWindows(f, 1);
    const saved = await f.archive.checkpoint();
    expect(saved.written).toBe(saved.bytes);
    await expectSaved(f.archive);
  });

  it('an archive reached through a symbolic link is saved where the link points; the link stays a link', async () => {
    const dir = await tempDir();
    const real = join(dir, 'real.sqlite');
    const link = join(dir, 'link.sqlite');
    await (await Archive.open(real, { create: true })).close();
    await symlink(real, link);
    const archive = await Archive.open(link);
    onCleanup(() => archive.close());
    const f: Fixture = { archive, path: real, gid: archive.upsertGroup({ sdkAppId: 1, groupId: 'g' }), runId: archive.beginRun(), windows: 0 };
    for (let i = 0; i < 3; i++) {
      addWindows(f, 2);
      await archive.checkpoint();
    }
    await archive.close();
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    const reopened = await Archive.open(link, { readOnly: true });
    onCleanup(() => reopened.close());
    expect(reopened.stats(f.gid).archived).toBe(6 * WINDOW);
  });

  it('without hard links (FAT, exFAT) every checkpoint still succeeds, writing the whole file', async () => {
    const t = testOps();
    t.failing = { step: 'link', code: 'EPERM' };
    const f = await archiveWith(await tempDir(), 20, t.ops);
    for (let i = 0; i < 4; i++) {
      addWindows(f, 2);
      const saved = await f.archive.checkpoint();
      expect(saved.written).toBe(saved.bytes);
      await expectSaved(f.archive);
      expect(await besideArchive(join(f.path, '..'))).toEqual(['a.sqlite', 'a.sqlite.lock', 'a.sqlite.seal']);
    }
  });
});

describe('a checkpoint step that fails', () => {
  // [step, error, whether the checkpoint still succeeds, whether the next one must write the whole file]
  const cases: [Step, string, 'fails' | 'saves', boolean][] = [
    ['open', 'EIO', 'fails', true],
    ['write', 'ENOSPC', 'fails', true],
    ['truncate', 'EIO', 'fails', true],
    ['sync', 'EIO', 'fails', true],
    ['link', 'EMLINK', 'saves', true],
    ['rename-shadow', 'EACCES', 'fails', false],
    ['folder-sync', 'EIO', 'fails', true],
    ['rename-prev', 'EACCES', 'saves', true],
    ['seal', 'EACCES', 'saves', false],
  ];
  it.each(cases)('%s (%s): the archive stays whole and reopenable, nothing is lost, and the next checkpoint is exact', async (step, code, outcome, nextWhole) => {
    const t = testOps();
    const dir = await tempDir();
    const f = await archiveWith(dir, 20, t.ops);
    await steady(f);
    const before = await readFile(f.path);
    addWindows(f, 2);
    t.failing = { step, code };
    const result = await f.archive.checkpoint().catch((e: unknown) => e);
    t.failing = undefined;
    const reader = await Archive.open(f.path, { readOnly: true });
    const onDisk = reader.stats(f.gid).archived;
    await reader.close();
    if (outcome === 'fails') {
      expect(result).toBeInstanceOf(ArchiveError);
      expect(result).toMatchObject({ kind: code === 'ENOSPC' ? 'disk-full' : 'unwritable', path: f.path });
      expect(f.archive.dirty).toBe(true);
      // The folder flush comes after the rename: the archive is then already the new checkpoint, whole.
      if (step === 'folder-sync') expect(onDisk).toBe(f.windows * WINDOW);
      else expect(Buffer.compare(await readFile(f.path), before)).toBe(0);
    } else {
      expect(result).toMatchObject({ bytes: expect.any(Number) });
      expect(onDisk).toBe(f.windows * WINDOW);
      await expectSaved(f.archive);
    }
    expect(f.archive.stats(f.gid).archived).toBe(f.windows * WINDOW);
    expect((await besideArchive(dir)).filter((n) => n.endsWith('.prev') || n.includes('.tmp-'))).toEqual([]);

    addWindows(f, 1);
    const next = await f.archive.checkpoint();
    expect(next.written === next.bytes).toBe(nextWhole);
    await expectSaved(f.archive);
    addWindows(f, 1);
    const after = await f.archive.checkpoint();
    expect(after.written).toBeLessThan(after.bytes / 2);
    await expectSaved(f.archive);
    await f.archive.close();
    expect(await besideArchive(dir)).toEqual(['a.sqlite', 'a.sqlite.seal']);
  });

  it('disk full: the error says the saved copy is intact and what to do; once space is freed everything saves', async () => {
    const t = testOps();
    const dir = await tempDir();
    const f = await archiveWith(dir, 2, t.ops);
    await steady(f);
    addWindows(f, 2);
    t.failing = { step: 'write', code: 'ENOSPC' };
    const err = await f.archive.checkpoint().catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/disk is full.*saved before is intact.*Free some disk space/);
    // The half-patched shadow is gone: it only took space.
    expect(await besideArchive(dir)).toEqual(['a.sqlite', 'a.sqlite.lock', 'a.sqlite.seal']);
    t.failing = undefined;
    await f.archive.checkpoint();
    await expectSaved(f.archive);
  });

  it('disk full (a real 3 MB tmpfs, where this process may mount one): the previous file is intact and nothing is left beside it', async (ctx) => {
    const dir = await mountTmpfs('size=3m');
    if (!dir) return ctx.skip();
    const f = await archiveWith(dir, 10);
    await f.archive.checkpoint();
    const before = await readFile(f.path);
    addWindows(f, 290, 2);
    await expect(f.archive.checkpoint()).rejects.toMatchObject({ kind: 'disk-full', path: f.path });
    expect(Buffer.compare(await readFile(f.path), before)).toBe(0);
    expect(await besideArchive(dir)).toEqual(['a.sqlite', 'a.sqlite.lock', 'a.sqlite.seal']);
    await f.archive.close();
    const reader = await Archive.open(f.path, { readOnly: true });
    expect(reader.stats(f.gid).archived).toBe(200);
    await reader.close();
  });

  it('on Windows a rename blocked for a moment (antivirus: EPERM/EBUSY) is retried', async () => {
    let blocked = 0;
    let platform: NodeJS.Platform = 'win32';
    const ops: FileOps = {
      ...nodeFileOps,
      get platform() {
        return platform;
      },
      sleep: () => Promise.resolve(),
      rename: (from, to) => (blocked-- > 0 ? Promise.reject(Object.assign(new Error('busy'), { code: blocked % 2 ? 'EPERM' : 'EBUSY' })) : nodeFileOps.rename(from, to)),
    };
    const f = await archiveWith(await tempDir(), 2, ops);
    await steady(f);
    addWindows(f, 1);
    blocked = 3;
    await f.archive.checkpoint();
    await expectSaved(f.archive);
    const before = await readFile(f.path);
    addWindows(f, 1);
    platform = 'linux';
    blocked = 1;
    await expect(f.archive.checkpoint()).rejects.toMatchObject({ kind: 'unwritable' });
    expect(Buffer.compare(await readFile(f.path), before)).toBe(0);
  });
});

describe('checkpoint durability', () => {
  it('survives kill -9 inside the patch, the link, the renames and at random: the file always opens cleanly and holds a prefix of what was stored', async () => {
    const dir = await tempDir();
    const path = join(dir, 'crash.sqlite');
    const random = prng(20240611);
    const aims = ['step patch', 'step link', 'step rename crash.sqlite.shadow', undefined];
    let landed = 0;
    let lastWindows = 0;
    for (const aim of aims) {
      const child = spawnChild(['ingest', path, '1']);
      const out = lines(child.stdout!);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const saved = () => out.filter((l) => l.startsWith('saved '));
      // After the first save: the moment the aimed step is announced (the child pauses there), or at random.
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', () => {
          const since = out.slice(out.findIndex((l) => l.startsWith('saved ')) + 1);
          if (saved().length > 0 && (aim === undefined || since.includes(aim))) resolve();
        });
        child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
      });
      if (aim === undefined) await new Promise((r) => setTimeout(r, random() * 400));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      if (aim !== undefined && out.at(-1) === aim) landed++;
      const confirmed = Number(saved().at(-1)!.split(' ')[1]);

      // Opening as a writer also takes over the dead child's lock and clears what it left.
      const archive = await Archive.open(path);
      const gid = archive.groups()[0]!.gid;
      const covered = archive.coverage(gid).covered;
      expect(covered).toHaveLength(1);
      const windows = covered[0]!.hi / WINDOW;
      expect(covered[0]).toEqual({ lo: 1, hi: windows * WINDOW });
      expect(windows).toBeGreaterThanOrEqual(Math.max(confirmed, lastWindows));
      const stmt = archive.db.prepare('SELECT seq, raw FROM messages WHERE gid = ? ORDER BY seq');
      stmt.bind([gid]);
      let seq = 0;
      while (stmt.step()) {
        const [s, raw] = stmt.get() as [number, string];
        expect(s).toBe(++seq);
        expect(JSON.parse(raw) as GroupMsg).toEqual(chatMessage(1, s));
      }
      stmt.free();
      expect(seq).toBe(windows * WINDOW);
      expect(archive.db.exec('PRAGMA integrity_check')[0]!.values).toEqual([['ok']]);
      await archive.close();
      expect(await besideArchive(dir)).toEqual(['crash.sqlite', 'crash.sqlite.seal']);
      lastWindows = windows;
    }
    // The aimed kills must really have landed inside their step (the child pauses there).
    expect(landed).toBeGreaterThanOrEqual(3);
  });

  it('a write during a checkpoint is not lost: the archive stays dirty and the next checkpoint saves it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let writing!: () => void;
    const started = new Promise<void>((r) => (writing = r));
    let slow = false;
    const ops: FileOps = {
      ...nodeFileOps,
      async open(path, flags) {
        if (slow) {
          writing();
          await gate;
        }
        return nodeFileOps.open(path, flags);
      },
    };
    const f = await archiveWith(await tempDir(), 1, ops);
    await steady(f);
    slow = true;
    f.archive.storeWindow(f.gid, 41, 41, [textMsg(41, 'before')], f.runId);
    const saving = f.archive.checkpoint();
    await started;
    f.archive.storeWindow(f.gid, 42, 42, [textMsg(42, 'during')], f.runId);
    release();
    await saving;
    expect(f.archive.dirty).toBe(true);
    const reader = await Archive.open(f.path, { readOnly: true });
    expect(reader.stats(f.gid).newest).toBe(41);
    await reader.close();
    slow = false;
    await f.archive.checkpoint();
    expect(f.archive.dirty).toBe(false);
    await expectSaved(f.archive);
  });
});
