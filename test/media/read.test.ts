// The media store's read side: what each message's media are and their state, a page of messages at once, and
// a sha256 resolved to a file only when this archive stored it.

import { rmSync, truncateSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isSha256, MediaReader } from '../../app/media/read';
import { mediaFilePath } from '../../app/media/model';
import { archiveWithMedia, CLIP, DOC_FIXTURE, PHOTO, PHOTO_THUMB, VOICE } from './store';

describe('MediaReader', async () => {
  const { archive, gid, story } = await archiveWithMedia();
  const reader = new MediaReader(archive.db, archive.path);
  const first = story[0]!.MsgSeq;

  it('gives the media of a message with their state, size, sha256, type and what the message says of them', () => {
    const image = reader.ofMessage(JSON.stringify(story[0]));
    expect(image.map((m) => [m.key, m.state, m.size, m.sha256, m.mime, m.width, m.height])).toEqual([
      ['img-a:original', 'stored', PHOTO.bytes.length, PHOTO.sha256, 'image/png', 64, 48],
      ['img-a:large', 'skipped', PHOTO.bytes.length, undefined, undefined, 64, 48],
      ['img-a:thumbnail', 'stored', PHOTO_THUMB.bytes.length, PHOTO_THUMB.sha256, 'image/jpeg', 32, 24],
    ]);
    expect(reader.ofMessage(JSON.stringify(story[1]))[0]).toMatchObject({ kind: 'sound', state: 'stored', seconds: 1, sha256: VOICE.sha256 });
    expect(reader.ofMessage(JSON.stringify(story[4]))[0]).toMatchObject({ kind: 'file', fileName: '../../etc/passwd<b>报告.pdf', sha256: DOC_FIXTURE.sha256 });
    // Declared sizes stand in while nothing is stored; a rendition the table has not seen is pending.
    expect(reader.ofMessage(JSON.stringify(story[7]))[0]).toMatchObject({ state: 'too-large', size: 300 * 1024 * 1024, seconds: 600 });
    expect(reader.ofMessage(JSON.stringify(story[9]))[0]).toMatchObject({ key: 'file-pending:file', state: 'pending', size: 42 });
    expect(reader.ofMessage('not json')).toEqual([]);
  });

  it('reads a page of messages at once, by Seq, in element order', () => {
    const raws = new Map(story.map((m) => [m.MsgSeq, JSON.stringify(m)]));
    const page = reader.ofMessages(gid, first, first + 3, raws);
    expect([...page.keys()]).toEqual([first, first + 1, first + 2, first + 3]);
    expect(page.get(first + 3)!.map((m) => [m.key, m.state, m.seconds, m.sha256])).toEqual([
      ['vid-a:video', 'stored', 1, CLIP.sha256],
      ['vid-a-t:video-thumbnail', 'stored', undefined, expect.stringMatching(/^[0-9a-f]{64}$/)],
    ]);
    // Generated messages before the story: their media were recorded as they were stored, none downloaded here.
    const before = [...reader.ofMessages(gid, 1, first - 1, raws).values()].flat();
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((m) => m.state === 'pending' && m.sha256 === undefined)).toBe(true);
  });

  it('resolves only a sha256 this archive stored, to its file in the store', () => {
    expect(reader.file(PHOTO.sha256)).toEqual({ sha256: PHOTO.sha256, path: mediaFilePath(archive.path, PHOTO.sha256), size: PHOTO.bytes.length, mime: 'image/png' });
    for (const bad of [undefined, 42, '', '../archive.sqlite', PHOTO.sha256.toUpperCase(), `${PHOTO.sha256}/x`, `${PHOTO.sha256.slice(1)}g`, 'a'.repeat(64)]) {
      expect(reader.file(bad), String(bad)).toBeUndefined();
    }
  });

  it('serves no file whose bytes are missing or not the size stored', () => {
    const path = mediaFilePath(archive.path, VOICE.sha256);
    truncateSync(path, 10);
    expect(reader.file(VOICE.sha256)).toBeUndefined();
    rmSync(path);
    expect(reader.file(VOICE.sha256)).toBeUndefined();
    writeFileSync(path, VOICE.bytes);
    expect(reader.file(VOICE.sha256)?.size).toBe(VOICE.bytes.length);
  });

  it('knows a sha256 when it sees one', () => {
    expect(isSha256(PHOTO.sha256)).toBe(true);
    expect(isSha256(PHOTO.sha256.toUpperCase())).toBe(false);
    expect(isSha256(['x'])).toBe(false);
  });
});
