import { spawnSync } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive, lockPathOf } from '../../app/archive';
import { mountTmpfs, onCleanup, runChild, tempDir } from './helpers';

async function newArchive(): Promise<string> {
  const path = join(await tempDir(), 'a.sqlite');
  await (await Archive.open(path, { create: true })).close();
  return path;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('the writer lock', () => {
  it('a second writer in another process is refused as locked, naming the lock file and the holder', async () => {
    const path = await newArchive();
    const writer = await Archive.open(path);
    onCleanup(() => writer.close());
    const lock = JSON.parse(await readFile(lockPathOf(path), 'utf8')) as { pid: number; hostname: string; time: string };
    expect(lock).toMatchObject({ pid: process.pid, hostname: hostname() });

    const answer = JSON.parse(await runChild(['open', path])) as { kind?: string; message?: string };
    expect(answer.kind).toBe('locked');
    expect(answer.message).toContain(lockPathOf(path));
    expect(answer.message).toContain(`process ${process.pid}`);

    // The same process cannot open a second writer either.
    await expect(Archive.open(path)).rejects.toMatchObject({ kind: 'locked' });

    await writer.close();
    expect(JSON.parse(await runChild(['open', path]))).toEqual({ ok: true });
  });

  it('a read-only open needs no lock, even while a writer holds it', async () => {
    const path = await newArchive();
    const writer = await Archive.open(path);
    onCleanup(() => writer.close());
    const reader = await Archive.open(path, { readOnly: true });
    expect(reader.groups()).toEqual([]);
    await reader.close();
    expect(await readFile(lockPathOf(path), 'utf8')).toContain(String(process.pid));
  });

  it('a stale lock left by a dead process on this host is taken over', async () => {
    const path = await newArchive();
    await writeFile(lockPathOf(path), JSON.stringify({ pid: deadPid(), hostname: hostname(), time: '2020-01-01T00:00:00Z', token: 'old' }));
    const writer = await Archive.open(path);
    expect(JSON.parse(await readFile(lockPathOf(path), 'utf8'))).toMatchObject({ pid: process.pid });
    await writer.close();
    expect((await readdir(join(path, '..'))).sort()).toEqual(['a.sqlite']);
  });

  it("a lock held on another host is respected; closing never removes another writer's lock", async () => {
    const path = await newArchive();
    const foreign = JSON.stringify({ pid: deadPid(), hostname: `${hostname()}-elsewhere`, time: '2020-01-01T00:00:00Z', token: 'theirs' });
    await writeFile(lockPathOf(path), foreign);
    await expect(Archive.open(path)).rejects.toMatchObject({ kind: 'locked', message: expect.stringMatching(/elsewhere.*delete the lock file/) });

    await writeFile(lockPathOf(path), '');
    const writer = await Archive.open(path, { create: true }).catch((e: unknown) => e);
    expect(writer).toMatchObject({ kind: 'locked' });

    await rm(lockPathOf(path));
    const mine = await Archive.open(path);
    // Someone decided we were dead and took over: our close must leave their lock alone.
    await writeFile(lockPathOf(path), foreign);
    await mine.close();
    expect(await readFile(lockPathOf(path), 'utf8')).toBe(foreign);
  });

  it('a folder that cannot be written (a read-only tmpfs, where this process may mount one) is reported as unwritable', async (ctx) => {
    const readOnlyDir = await mountTmpfs('ro,size=1m');
    if (!readOnlyDir) return ctx.skip();
    await expect(Archive.open(join(readOnlyDir, 'a.sqlite'), { create: true })).rejects.toMatchObject({
      kind: 'unwritable',
      message: expect.stringMatching(/cannot be written.*Choose a folder you can write to/),
    });
  });
});
