// JSONL, CSV and TXT exports with the archive's media: each file copied once beside the transcript
// (`<file>.media/`), named there by its path and sha256; every media not stored named by its state; --media none
// and standard output name files by sha256 without copying them; and `tim-backup export --media`.

import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCommand } from '../../app/cli/commands/export';
import { exportArchive } from '../../app/export';
import { dictionary } from '../../app/export/i18n';
import { mediaExportName } from '../../app/export/media';
import { runCli } from '../cli/run-cli';
import { archiveWithMedia, CLIP, DOC_FIXTURE, PHOTO, PHOTO_THUMB, SILK, VOICE } from '../media/store';
import { tempDir } from './helpers';

const { archive, story } = await archiveWithMedia();
const seqOf = (i: number) => story[i]!.MsgSeq;

interface MediaEntry {
  Key: string;
  State: string;
  Size: number;
  Mime?: string;
  Sha256?: string;
  Path?: string;
}

async function jsonl(out: string, media?: 'copy' | 'none'): Promise<Map<number, MediaEntry[] | undefined>> {
  await exportArchive(archive, { format: 'jsonl', out, ...(media ? { media } : {}) });
  const lines = (await readFile(out, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { MsgSeq: number; Media?: MediaEntry[] });
  return new Map(lines.map((l) => [l.MsgSeq, l.Media]));
}

describe('JSONL with media', () => {
  it('carries each rendition with its state, sha256 and path beside the file, and copies each stored file once', async () => {
    const out = join(await tempDir(), 'chat.jsonl');
    const media = await jsonl(out);
    const path = (sha: string, mime: string) => `chat.jsonl.media/${mediaExportName(sha, mime)}`;
    expect(media.get(seqOf(0))).toEqual([
      { Key: 'img-a:original', State: 'stored', Size: PHOTO.bytes.length, Mime: 'image/png', Sha256: PHOTO.sha256, Path: path(PHOTO.sha256, 'image/png') },
      { Key: 'img-a:large', State: 'skipped', Size: PHOTO.bytes.length },
      { Key: 'img-a:thumbnail', State: 'stored', Size: PHOTO_THUMB.bytes.length, Mime: 'image/jpeg', Sha256: PHOTO_THUMB.sha256, Path: path(PHOTO_THUMB.sha256, 'image/jpeg') },
    ]);
    expect(media.get(seqOf(5))!.map((m) => m.State)).toEqual(['expired', 'expired', 'expired']);
    expect(media.get(seqOf(9))).toEqual([{ Key: 'file-pending:file', State: 'pending', Size: 42 }]);
    expect(media.get(seqOf(10))).toEqual([{ Key: 'snd-nourl:sound', State: 'no-url', Size: 100 }]);
    // Every path resolves, from the file's folder, to the bytes the archive stored.
    for (const entry of [...media.values()].flat()) {
      if (entry?.Path) expect((await readFile(join(out, '..', entry.Path))).length, entry.Key).toBe(entry.Size);
    }
    expect(await readFile(join(out, '..', path(DOC_FIXTURE.sha256, 'application/pdf')))).toEqual(DOC_FIXTURE.bytes);
    const files = (await readdir(`${out}.media`, { recursive: true })).filter((f) => f.includes('.'));
    expect(files).toHaveLength(7);
  });

  it('names the files by sha256 only, and copies nothing, with --media none', async () => {
    const out = join(await tempDir(), 'chat.jsonl');
    const media = await jsonl(out, 'none');
    expect(media.get(seqOf(3))).toEqual([
      { Key: 'vid-a:video', State: 'stored', Size: CLIP.bytes.length, Mime: 'video/webm', Sha256: CLIP.sha256 },
      expect.objectContaining({ Key: 'vid-a-t:video-thumbnail', State: 'stored' }),
    ]);
    expect(existsSync(`${out}.media`)).toBe(false);
  });

  it('never writes media through a link put where its folder goes', async () => {
    const dir = await tempDir();
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(dir, 'chat.jsonl.media'));
    await expect(exportArchive(archive, { format: 'jsonl', out: join(dir, 'chat.jsonl') })).rejects.toThrow(/in the way of the export's media folder \(it is a link\)/u);
    expect(await readdir(elsewhere)).toEqual([]);
    expect(existsSync(join(dir, 'chat.jsonl'))).toBe(false);
  });
});

describe('CSV and TXT with media', () => {
  it('CSV names each file: its name from the message, then its path, or its state', async () => {
    const out = join(await tempDir(), 'chat.csv');
    await exportArchive(archive, { format: 'csv', out });
    const text = await readFile(out, 'utf8');
    const row = (i: number) => text.split('\r\n').find((l) => l.startsWith(`media,${seqOf(i)},`))!;
    expect(row(0).endsWith(`,chat.csv.media/${mediaExportName(PHOTO.sha256, 'image/png')}`)).toBe(true);
    expect(row(2).endsWith(`,chat.csv.media/${mediaExportName(SILK.sha256, 'audio/silk')}`)).toBe(true);
    expect(row(4)).toContain(`,../../etc/passwd<b>报告.pdf: chat.csv.media/${mediaExportName(DOC_FIXTURE.sha256, 'application/pdf')}`);
    expect(row(6).endsWith(',minutes.docx: (failed)')).toBe(true);
    expect(row(7).endsWith(',(too-large)')).toBe(true);
    expect(await readFile(join(out, '..', `chat.csv.media/${mediaExportName(VOICE.sha256, 'audio/wav')}`))).toEqual(VOICE.bytes);
  });

  it('TXT names the local copy of each file and says why a missing one is missing, in the transcript language', async () => {
    const out = join(await tempDir(), 'chat.txt');
    await exportArchive(archive, { format: 'txt', out, lang: 'zh-CN' });
    const text = await readFile(out, 'utf8');
    const d = dictionary('zh-CN');
    expect(text).toContain(`${d.original}: chat.txt.media/${mediaExportName(PHOTO.sha256, 'image/png')}`);
    expect(text).toContain(`${d.localCopy}: chat.txt.media/${mediaExportName(CLIP.sha256, 'video/webm')}`);
    for (const state of ['expired', 'failed', 'too-large', 'skipped', 'pending', 'no-url'] as const) expect(text).toContain(`(${d.mediaMissing[state]})`);
    // A stored file is named by its local copy, not by Tencent's signed URL.
    expect(text).not.toContain('img-a?sign=o');
    expect(text).toContain('file-failed?sign=f');
  });
});

describe('tim-backup export --media', () => {
  it('copies media by default, leaves them out with none, and refuses anything else', async () => {
    const dir = await tempDir();
    const env = { TIM_ARCHIVE: archive.path, TZ: 'Asia/Shanghai', LANG: 'en_US.UTF-8' };
    const copied = await runCli(['export', '--format', 'html', '--out', join(dir, 'with')], env);
    expect(copied.code).toBe(0);
    expect(copied.stdout).toMatch(/^Wrote \d+ messages from 1 group and 7 media files \([\d.]+ KB\) to /u);
    expect(existsSync(join(dir, 'with', 'media', mediaExportName(CLIP.sha256, 'video/webm')))).toBe(true);
    const none = await runCli(['export', '--format', 'html', '--out', join(dir, 'without'), '--media', 'none', '--json'], env);
    expect(JSON.parse(none.stdout)).toMatchObject({ media: { files: 0 } });
    expect(existsSync(join(dir, 'without', 'media'))).toBe(false);
    await expect(exportCommand({ archive: archive.path, format: 'html', out: join(dir, 'x'), media: 'thumbnails' })).rejects.toThrow(
      '--media must be copy (include the stored media files) or none (leave them out) for an export (got "thumbnails").',
    );
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});
