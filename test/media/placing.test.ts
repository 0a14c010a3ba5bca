// Downloaded files go into the store a batch at a time (app/media/placing.ts): real files in a temporary folder.
// A batch moves each file to its content address once (bytes already stored, or twice in the batch, are dropped),
// and a file waits for its batch: until PLACE_BATCH files are waiting, the batch's time is up, or flush().

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mediaFilePath } from '../../app/media/model';
import { PLACE_BATCH, Placer } from '../../app/media/placing';
import { MediaStore } from '../../app/media/store';
import { storedFiles, tempFolder } from './harness';

async function storeIn(): Promise<{ store: MediaStore; archive: string }> {
  const archive = join(await tempFolder(), 'a.sqlite');
  const store = new MediaStore(archive);
  await store.prepare();
  return { store, archive };
}

/** A downloaded temporary file with these bytes. */
async function downloaded(store: MediaStore, text: string): Promise<{ tempPath: string; sha256: string; bytes: Buffer }> {
  const bytes = Buffer.from(text);
  const tempPath = store.tempPath();
  await writeFile(tempPath, bytes, { flag: 'wx' });
  return { tempPath, sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
}

const tmpOf = (archive: string) => readdir(join(`${archive}.media`, 'tmp'));

describe('placing downloaded files', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('moves each file of a batch to its content address once, dropping bytes already stored or twice in the batch', async () => {
    const { store, archive } = await storeIn();
    const first = await downloaded(store, 'a photo');
    await store.place([first]);
    const again = await downloaded(store, 'a photo');
    const other = await downloaded(store, 'a voice message');
    const twin = await downloaded(store, 'a voice message');
    const third = await downloaded(store, 'a video');
    await store.place([again, other, twin, third]);
    for (const f of [first, other, third]) expect(await readFile(mediaFilePath(archive, f.sha256))).toEqual(f.bytes);
    expect((await storedFiles(archive)).sort()).toEqual([first.sha256, other.sha256, third.sha256].sort());
    expect(await tmpOf(archive)).toEqual([]);
  });

  it('places a file with its batch: when the batch is full, when its time is up, or when flushed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { store, archive } = await storeIn();
    const placer = new Placer(store);
    const settled: string[] = [];
    const place = async (text: string) => {
      const f = await downloaded(store, text);
      void placer.place(f).then(() => settled.push(text));
      return f;
    };

    // One file waits for its batch's time.
    const lone = await place('lone');
    expect(settled).toEqual([]);
    expect(existsSync(mediaFilePath(archive, lone.sha256))).toBe(false);
    expect(await tmpOf(archive)).toEqual([expect.stringMatching(/\.part$/u)]);
    await vi.advanceTimersByTimeAsync(1000);
    await vi.waitFor(() => expect(settled).toEqual(['lone']));
    expect(await storedFiles(archive)).toEqual([lone.sha256]);

    // A full batch goes at once, without its time being up.
    const many = await Promise.all(Array.from({ length: PLACE_BATCH }, (_, i) => place(`file ${i}`)));
    await vi.waitFor(() => expect(settled).toHaveLength(1 + PLACE_BATCH));
    expect((await storedFiles(archive)).sort()).toEqual([lone.sha256, ...many.map((f) => f.sha256)].sort());

    // flush() sends what is waiting now.
    const last = await place('last');
    expect(settled).not.toContain('last');
    expect(existsSync(mediaFilePath(archive, last.sha256))).toBe(false);
    placer.flush();
    await vi.waitFor(() => expect(settled).toContain('last'));
    expect(await storedFiles(archive)).toContain(last.sha256);
    expect(await tmpOf(archive)).toEqual([]);
  });
});
