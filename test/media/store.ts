// Fills an archive's media store as the downloader would leave it, for the tests of everything that shows or
// exports media: rows in media / message_media written with SQL, bytes written at their content address. The
// media are real files (test/media/fixtures: a PNG and JPEG thumbnails made with ffmpeg, a WAV, a VP8 WebM, and
// a SILK voice header no browser plays).

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Archive } from '../../app/archive';
import type { GroupMsg, MsgElem } from '../../app/im/wire';
import { mediaFilePath, type MediaState, mediaRefsOf } from '../../app/media/model';
import { tempArchive } from '../export/helpers';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

export interface Fixture {
  bytes: Buffer;
  sha256: string;
  mime: string;
}

export function fixture(name: string, mime: string): Fixture {
  const bytes = readFileSync(join(FIXTURES, name));
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), mime };
}

export const PHOTO = fixture('photo.png', 'image/png');
export const PHOTO_THUMB = fixture('photo-thumb.jpg', 'image/jpeg');
export const VOICE = fixture('voice.wav', 'audio/wav');
export const SILK = fixture('voice.silk', 'audio/silk');
export const CLIP = fixture('clip.webm', 'video/webm');
export const CLIP_THUMB = fixture('clip-thumb.jpg', 'image/jpeg');
/** A document: any bytes, named by the message. */
export const DOC = { bytes: Buffer.from('%PDF-1.4\n% a tiny document for the tests\n'), mime: 'application/pdf' } as const;
export const DOC_FIXTURE: Fixture = { ...DOC, sha256: createHash('sha256').update(DOC.bytes).digest('hex') };

/** What a rendition ended as: stored with these bytes, or another state (with the reason a failure gives). */
export type Outcome = Fixture | { state: Exclude<MediaState, 'stored'>; error?: string };

/**
 * Records every media rendition of a stored message (as message_media) and its outcome (as media), writing the
 * bytes of stored ones at their content address. Renditions without an outcome get no media row (not seen yet).
 */
export function storeMediaOf(archive: Archive, gid: number, msg: GroupMsg, outcomes: Record<string, Outcome>): void {
  const db = archive.db;
  const link = db.prepare('INSERT OR REPLACE INTO message_media (gid, seq, ord, key) VALUES (?, ?, ?, ?)');
  const row = db.prepare(
    `INSERT OR REPLACE INTO media (key, uuid, rendition, kind, state, url, declared_size, size, sha256, mime, file_name, first_gid, first_seq, first_time, attempts, last_error, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  mediaRefsOf(msg).forEach((ref, ord) => {
    link.run(gid, msg.MsgSeq, ord, ref.key);
    const outcome = outcomes[ref.key];
    if (!outcome) return;
    const stored = 'bytes' in outcome;
    if (stored) writeStored(archive.path, outcome);
    row.run(
      ref.key, ref.uuid, ref.rendition, ref.kind, stored ? 'stored' : outcome.state, ref.url ?? null, ref.declaredSize,
      stored ? outcome.bytes.length : null, stored ? outcome.sha256 : null, stored ? outcome.mime : null, ref.fileName ?? null,
      gid, msg.MsgSeq, msg.MsgTimeStamp, stored ? 1 : 3, stored ? null : (outcome.error ?? null), msg.MsgTimeStamp,
    );
  });
}

/** Writes bytes where the store keeps them. */
export function writeStored(archivePath: string, f: Fixture): string {
  const path = mediaFilePath(archivePath, f.sha256);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, f.bytes);
  return path;
}

// ---- messages carrying media, as Tencent sends them ---------------------------------------------------------

const COS = 'https://cos.ap-singapore.myqcloud.com/im';

export function imageElem(uuid: string, f: Fixture, thumb: Fixture): MsgElem {
  return {
    MsgType: 'TIMImageElem',
    MsgContent: {
      UUID: uuid, ImageFormat: 3,
      ImageInfoArray: [
        { Type: 1, Size: f.bytes.length, Width: 64, Height: 48, URL: `${COS}/${uuid}?sign=o` },
        { Type: 2, Size: f.bytes.length, Width: 64, Height: 48, URL: `${COS}/${uuid}-l?sign=l` },
        { Type: 3, Size: thumb.bytes.length, Width: 32, Height: 24, URL: `${COS}/${uuid}-t?sign=t` },
      ],
    },
  } as MsgElem;
}

export function fileElem(uuid: string, name: string, size: number): MsgElem {
  return { MsgType: 'TIMFileElem', MsgContent: { Url: `${COS}/${uuid}?sign=f`, UUID: uuid, FileSize: size, FileName: name, Download_Flag: 2 } } as MsgElem;
}

export function soundElem(uuid: string, size: number, seconds: number): MsgElem {
  return { MsgType: 'TIMSoundElem', MsgContent: { Url: `${COS}/${uuid}?sign=s`, UUID: uuid, Size: size, Second: seconds, Download_Flag: 2 } } as MsgElem;
}

export function videoElem(uuid: string, size: number, seconds: number, thumbSize: number): MsgElem {
  return {
    MsgType: 'TIMVideoFileElem',
    MsgContent: {
      VideoUrl: `${COS}/${uuid}?sign=v`, VideoUUID: uuid, VideoSize: size, VideoSecond: seconds, VideoFormat: 'webm', VideoDownloadFlag: 2,
      ThumbUrl: `${COS}/${uuid}-t?sign=t`, ThumbUUID: `${uuid}-t`, ThumbSize: thumbSize, ThumbWidth: 32, ThumbHeight: 24, ThumbFormat: 'jpg', ThumbDownloadFlag: 2,
    },
  } as MsgElem;
}

export function mediaMessage(seq: number, time: number, from: string, ...body: MsgElem[]): GroupMsg {
  return { From_Account: from, IsPlaceMsg: 0, MsgBody: body, MsgRandom: seq, MsgSeq: seq, MsgTimeStamp: time };
}

/**
 * The media messages every media test uses (Seqs from `first`), and what became of each rendition: one of
 * each kind stored (the voice twice: a WAV a browser plays, a SILK it cannot), then one message per state that
 * is not stored, and a file whose name tries to be a path.
 */
export function mediaStory(first: number, time: number): { messages: GroupMsg[]; outcomes: Record<string, Outcome> } {
  const at = (i: number) => time + i * 60;
  const messages = [
    mediaMessage(first, at(0), 'alice', { MsgType: 'TIMTextElem', MsgContent: { Text: 'our photo' } } as MsgElem, imageElem('img-a', PHOTO, PHOTO_THUMB)),
    mediaMessage(first + 1, at(1), 'alice', soundElem('snd-wav', VOICE.bytes.length, 1)),
    mediaMessage(first + 2, at(2), 'bob', soundElem('snd-silk', SILK.bytes.length, 3)),
    mediaMessage(first + 3, at(3), 'bob', videoElem('vid-a', CLIP.bytes.length, 1, CLIP_THUMB.bytes.length)),
    mediaMessage(first + 4, at(4), 'carol', fileElem('file-a', '../../etc/passwd<b>报告.pdf', DOC_FIXTURE.bytes.length)),
    mediaMessage(first + 5, at(5), 'carol', imageElem('img-expired', PHOTO, PHOTO_THUMB)),
    mediaMessage(first + 6, at(6), 'carol', fileElem('file-failed', 'minutes.docx', 12_345)),
    mediaMessage(first + 7, at(7), 'dave', videoElem('vid-big', 300 * 1024 * 1024, 600, 900)),
    mediaMessage(first + 8, at(8), 'dave', fileElem('file-skipped', 'setup.zip', 5_000)),
    mediaMessage(first + 9, at(9), 'dave', fileElem('file-pending', 'later.txt', 42)),
    mediaMessage(first + 10, at(10), 'erin', soundElem('snd-nourl', 100, 2)),
  ];
  // The old SDK's voice carries no URL.
  delete (messages[10]!.MsgBody[0]!.MsgContent as Record<string, unknown>).Url;
  const outcomes: Record<string, Outcome> = {
    'img-a:original': PHOTO, 'img-a:large': { state: 'skipped' }, 'img-a:thumbnail': PHOTO_THUMB,
    'snd-wav:sound': VOICE,
    'snd-silk:sound': SILK,
    'vid-a:video': CLIP, 'vid-a-t:video-thumbnail': CLIP_THUMB,
    'file-a:file': DOC_FIXTURE,
    'img-expired:original': { state: 'expired', error: 'HTTP 404' }, 'img-expired:large': { state: 'expired' }, 'img-expired:thumbnail': { state: 'expired' },
    'file-failed:file': { state: 'failed', error: 'connection reset' },
    'vid-big:video': { state: 'too-large' }, 'vid-big-t:video-thumbnail': { state: 'skipped' },
    'file-skipped:file': { state: 'skipped' },
    'snd-nourl:sound': { state: 'no-url' },
    // file-pending:file has no row yet: not downloaded.
  };
  return { messages, outcomes };
}

/**
 * A temporary archive with one group "media": a few generated messages (whose media the store has not seen),
 * then the media story, its store filled. Removed when the test file finishes.
 */
export async function archiveWithMedia(parent?: string): Promise<{ archive: Archive; dir: string; gid: number; story: GroupMsg[] }> {
  let story: GroupMsg[] = [];
  let outcomes: Record<string, Outcome> = {};
  const { archive, dir, gids } = await tempArchive([
    { groupId: 'media', name: '媒体 media', messages: 3, extra: (seq, time) => ({ messages: story, outcomes } = mediaStory(seq, time)).messages },
  ], parent);
  const gid = gids[0]!;
  for (const m of story) storeMediaOf(archive, gid, m, outcomes);
  return { archive, dir, gid, story };
}
