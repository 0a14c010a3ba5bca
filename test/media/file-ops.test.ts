// "Save as…" and "Show in folder" for a stored media file, as main and the browser bridge run them: named by
// sha256, the suggested name made safe, written only where the dialog answered.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MediaNotStored, mediaFileOps } from '../../app/media/file-ops';
import { saveName } from '../../app/media/file-name';
import { mediaFilePath } from '../../app/media/model';
import { MediaReader } from '../../app/media/read';
import { tempDir } from '../export/helpers';
import { archiveWithMedia, DOC_FIXTURE, PHOTO } from './store';

describe('saving and showing a stored media file', async () => {
  const { archive } = await archiveWithMedia();
  const reader = new MediaReader(archive.db, archive.path);
  const dir = await tempDir();
  const asked: string[] = [];
  const revealed: string[] = [];
  let answer: string | null = null;
  const ops = mediaFileOps(async (sha) => reader.file(sha), {
    chooseSavePath: async (name) => (asked.push(name), answer),
    reveal: (path) => revealed.push(path),
  });

  it('copies the stored bytes where the dialog answered, suggesting the message name made safe', async () => {
    answer = join(dir, 'chosen.pdf');
    expect(await ops.saveMedia({ sha256: DOC_FIXTURE.sha256, name: '../../etc/passwd<b>报告.pdf' })).toBe(answer);
    expect(asked.at(-1)).toBe('passwd_b_报告.pdf');
    expect(await readFile(answer)).toEqual(DOC_FIXTURE.bytes);
    // Without a name, the content names it.
    answer = null;
    expect(await ops.saveMedia({ sha256: PHOTO.sha256 })).toBeNull();
    expect(asked.at(-1)).toBe(`${PHOTO.sha256}.png`);
  });

  it('shows the stored file itself, and refuses a sha256 no archive stored', async () => {
    await ops.showMedia({ sha256: PHOTO.sha256 });
    expect(revealed).toEqual([mediaFilePath(archive.path, PHOTO.sha256)]);
    await expect(ops.showMedia({ sha256: 'f'.repeat(64) })).rejects.toThrow(MediaNotStored);
    await expect(ops.saveMedia({ sha256: 'f'.repeat(64) })).rejects.toThrow('This file is not in the archive');
  });

  it('never lets a message name a path, a device or a hidden file', () => {
    const fallback = 'sha.bin';
    expect(saveName('C:\\Windows\\system32\\evil.dll', fallback)).toBe('evil.dll');
    expect(saveName('../..', fallback)).toBe(fallback);
    expect(saveName('.bashrc', fallback)).toBe('bashrc');
    expect(saveName('CON.txt', fallback)).toBe(fallback);
    expect(saveName('a\u202Egnp.exe', fallback)).toBe('a_gnp.exe');
    expect(saveName('name. ', fallback)).toBe('name');
    expect(saveName(undefined, fallback)).toBe(fallback);
    const long = saveName(`${'长'.repeat(200)}.pdf`, fallback);
    expect([long.length, long.endsWith('.pdf')]).toEqual([80, true]);
  });
});
