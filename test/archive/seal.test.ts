import { copyFile, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../app/archive';
import { sidePaths } from '../../app/archive/durable';
import { chatWindow } from './chat';
import { tempDir, textMsg } from './helpers';

const MARKER = 'a message nobody else writes: zebra crossing';

async function sealedArchive(): Promise<{ dir: string; path: string }> {
  const dir = await tempDir();
  const path = join(dir, 'a.sqlite');
  const archive = await Archive.open(path, { create: true });
  const gid = archive.upsertGroup({ sdkAppId: 1, groupId: 'g' });
  const runId = archive.beginRun();
  archive.storeWindow(gid, 1, 200, [...chatWindow(1, 1, 199), textMsg(200, MARKER)], runId);
  await archive.close({ checkpoint: true });
  return { dir, path };
}

async function verificationOf(path: string, opts: { readOnly?: boolean } = { readOnly: true }): Promise<string> {
  const archive = await Archive.open(path, opts);
  const v = archive.verification;
  await archive.close();
  return v;
}

describe('the seal', () => {
  it('a file exactly as its last checkpoint wrote it opens without quick_check, for readers and writers', async () => {
    const { path } = await sealedArchive();
    expect(await verificationOf(path)).toBe('sealed');
    expect(await verificationOf(path, {})).toBe('sealed');
    // The writer closed without changes: the seal still vouches for the file.
    expect(await verificationOf(path)).toBe('sealed');
  });

  it('a copied archive (no seal beside it) is checked; readers never write a seal, a writer\'s checkpoint does', async () => {
    const { dir, path } = await sealedArchive();
    const copy = join(dir, 'copy.sqlite');
    await copyFile(path, copy);
    expect(await verificationOf(copy)).toBe('checked');
    expect((await readdir(dir)).sort()).toEqual(['a.sqlite', 'a.sqlite.seal', 'copy.sqlite']);
    const writer = await Archive.open(copy);
    expect(writer.verification).toBe('checked');
    writer.upsertGroup({ sdkAppId: 1, groupId: 'another' });
    await writer.close({ checkpoint: true });
    expect(await verificationOf(copy)).toBe('sealed');
  });

  it('a byte changed in a message (quick_check passes) no longer matches the seal: the file is checked, and opens', async () => {
    const { path } = await sealedArchive();
    const bytes = await readFile(path);
    const at = bytes.indexOf(MARKER);
    expect(at).toBeGreaterThan(0);
    bytes[at] = 'A'.charCodeAt(0);
    await writeFile(path, bytes);
    const reader = await Archive.open(path, { readOnly: true });
    expect(reader.verification).toBe('checked');
    const texts = reader.db.exec('SELECT text, raw FROM messages WHERE seq = 200')[0]!.values[0]!.map(String);
    expect(texts.some((t) => t.includes(`A${MARKER.slice(1)}`))).toBe(true);
    await reader.close();
  });

  it('a damaged file is refused as corrupt whatever its stale seal says', async () => {
    const { path } = await sealedArchive();
    const seal = await readFile(sidePaths(path).seal, 'utf8');
    const damaged = await readFile(path);
    damaged.fill(0x5a, 4096, damaged.length - 4096);
    await writeFile(path, damaged);
    await expect(Archive.open(path, { readOnly: true })).rejects.toMatchObject({ kind: 'corrupt' });
    expect(await readFile(sidePaths(path).seal, 'utf8')).toBe(seal);
    await rm(sidePaths(path).seal);
    await expect(Archive.open(path, { readOnly: true })).rejects.toMatchObject({ kind: 'corrupt' });
  });
});
