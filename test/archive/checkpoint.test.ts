import { watch } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive, ArchiveError, type FileOps } from '../../app/archive';
import { nodeFileOps, replaceDurably } from '../../app/archive/durable';
import { type GroupMsg, LIMITS } from '../../app/im/wire';
import { chatMessage, chatWindow, prng } from './chat';
import { mountTmpfs, onCleanup, spawnChild, tempDir, textMsg } from './helpers';

const WINDOW = LIMITS.msgsPerCall;

function systemError(code: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

async function archiveWith(dir: string, windows: number, fileOps?: FileOps): Promise<{ archive: Archive; path: string; gid: number; runId: number }> {
  const path = join(dir, 'a.sqlite');
  const archive = await Archive.open(path, { create: true, ...(fileOps ? { fileOps } : {}) });
  onCleanup(() => archive.close());
  const gid = archive.upsertGroup({ sdkAppId: 1, groupId: 'g' });
  const runId = archive.beginRun();
  for (let w = 0; w < windows; w++) archive.storeWindow(gid, w * WINDOW + 1, (w + 1) * WINDOW, chatWindow(1, w * WINDOW + 1, (w + 1) * WINDOW), runId);
  return { archive, path, gid, runId };
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

describe('checkpoint durability', () => {
  it('survives kill -9 at random moments: the file always opens cleanly and holds a prefix of what was stored', async () => {
    const dir = await tempDir();
    const path = join(dir, 'crash.sqlite');
    const random = prng(20240611);
    const ROUNDS = 3;
    let tempLeftBehind = 0;
    let lastWindows = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const child = spawnChild(['ingest', path, '1']);
      const out = lines(child.stdout!);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      // Let it save at least once, then kill it: in odd rounds anywhere (storeWindow, export, write, fsync,
      // rename), in even rounds the moment a checkpoint's temporary file appears, mid-write.
      const saved = () => out.filter((l) => l.startsWith('saved '));
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', () => saved().length > 0 && resolve());
        child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
      });
      if (round % 2 === 0) {
        const watcher = watch(dir);
        await new Promise<void>((resolve) => watcher.on('change', (_event, name) => String(name).includes('.tmp-') && resolve()));
        watcher.close();
      } else {
        await new Promise((r) => setTimeout(r, random() * 400));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const confirmed = Number(saved().at(-1)!.split(' ')[1]);
      if ((await readdir(dir)).some((n) => n.includes('.tmp-'))) tempLeftBehind++;

      // Opening as a writer also takes over the dead child's lock and clears its temporary file.
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
      await archive.close();
      expect((await readdir(dir)).sort()).toEqual(['crash.sqlite']);
      lastWindows = windows;
    }
    // The aimed rounds must really have interrupted a write (the child writes in chunks with pauses).
    expect(tempLeftBehind).toBeGreaterThanOrEqual(1);
  });

  it('a write during a checkpoint is not lost: the archive stays dirty and the next checkpoint saves it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let writing!: () => void;
    const started = new Promise<void>((r) => (writing = r));
    let slow = false;
    const ops: FileOps = {
      ...nodeFileOps,
      async writeAndSync(path, bytes) {
        if (slow) {
          writing();
          await gate;
        }
        await nodeFileOps.writeAndSync(path, bytes);
      },
    };
    const { archive, path, gid, runId } = await archiveWith(await tempDir(), 1, ops);
    await archive.checkpoint();
    slow = true;
    archive.storeWindow(gid, 21, 21, [textMsg(21, 'before')], runId);
    const saving = archive.checkpoint();
    await started;
    archive.storeWindow(gid, 22, 22, [textMsg(22, 'during')], runId);
    release();
    await saving;
    expect(archive.dirty).toBe(true);
    const reader = await Archive.open(path, { readOnly: true });
    expect(reader.stats(gid).newest).toBe(21);
    await reader.close();
    slow = false;
    await archive.checkpoint();
    expect(archive.dirty).toBe(false);
  });
});

describe('a failing disk', () => {
  it('disk full (injected): the previous file is intact, the temporary file is gone, the error says what to do', async () => {
    let full = false;
    const ops: FileOps = {
      ...nodeFileOps,
      async writeAndSync(path, bytes) {
        if (!full) return nodeFileOps.writeAndSync(path, bytes);
        await nodeFileOps.writeAndSync(path, bytes.subarray(0, 4096));
        throw systemError('ENOSPC');
      },
    };
    const dir = await tempDir();
    const { archive, path, gid, runId } = await archiveWith(dir, 2, ops);
    await archive.checkpoint();
    const before = await readFile(path);
    full = true;
    archive.storeWindow(gid, 41, 60, chatWindow(1, 41, 60), runId);
    const err = await archive.checkpoint().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect(err).toMatchObject({ kind: 'disk-full', path });
    expect((err as Error).message).toMatch(/disk is full.*saved before is intact.*Free some disk space/);
    expect(Buffer.compare(await readFile(path), before)).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['a.sqlite', 'a.sqlite.lock']);
    expect(archive.dirty).toBe(true);
    // Space freed: the same archive saves everything.
    full = false;
    await archive.checkpoint();
    const reader = await Archive.open(path, { readOnly: true });
    expect(reader.stats(gid).archived).toBe(60);
    await reader.close();
  });

  it('disk full (a real 3 MB tmpfs, where this process may mount one): the previous file is intact and no temporary file is left', async (ctx) => {
    const dir = await mountTmpfs('size=3m');
    if (!dir) return ctx.skip();
    const { archive, path, gid, runId } = await archiveWith(dir, 10);
    await archive.checkpoint();
    const before = await readFile(path);
    for (let w = 10; w < 300; w++) archive.storeWindow(gid, w * WINDOW + 1, (w + 1) * WINDOW, chatWindow(2, w * WINDOW + 1, (w + 1) * WINDOW), runId);
    await expect(archive.checkpoint()).rejects.toMatchObject({ kind: 'disk-full', path });
    expect(Buffer.compare(await readFile(path), before)).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['a.sqlite', 'a.sqlite.lock']);
    await archive.close();
    const reader = await Archive.open(path, { readOnly: true });
    expect(reader.stats(gid).archived).toBe(200);
    await reader.close();
  });

  it('any other write failure is reported as unwritable, previous file intact', async () => {
    const dir = await tempDir();
    const path = join(dir, 'x.sqlite');
    await writeFile(path, 'previous');
    const failingRename: FileOps = { ...nodeFileOps, rename: () => Promise.reject(systemError('EACCES')) };
    await expect(replaceDurably(path, new Uint8Array([1, 2, 3]), failingRename)).rejects.toMatchObject({ kind: 'unwritable', message: expect.stringMatching(/EACCES/) });
    expect(await readFile(path, 'utf8')).toBe('previous');
    expect(await readdir(dir)).toEqual(['x.sqlite']);
  });

  it('on Windows a rename blocked for a moment (antivirus: EPERM/EBUSY) is retried', async () => {
    const dir = await tempDir();
    const path = join(dir, 'x.sqlite');
    let failures = 0;
    const ops: FileOps = {
      ...nodeFileOps,
      platform: 'win32',
      sleep: () => Promise.resolve(),
      syncFolder: () => Promise.resolve(),
      rename: (from, to) => (++failures <= 3 ? Promise.reject(systemError(failures % 2 ? 'EPERM' : 'EBUSY')) : nodeFileOps.rename(from, to)),
    };
    await replaceDurably(path, new Uint8Array([7]), ops);
    expect([...(await readFile(path))]).toEqual([7]);
    failures = 0;
    await expect(replaceDurably(path, new Uint8Array([8]), { ...ops, platform: 'linux' })).rejects.toMatchObject({ kind: 'unwritable' });
    expect([...(await readFile(path))]).toEqual([7]);
  });
});
