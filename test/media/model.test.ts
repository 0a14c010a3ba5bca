// The media a message carries, as the store keys them: by UUID and rendition, relays included, malformed
// elements skipped; and the content-addressed path of stored bytes.

import { describe, expect, it } from 'vitest';
import type { GroupMsg, MsgElem } from '../../app/im/wire';
import { mediaFilePath, mediaRefsOf } from '../../app/media/model';

function msg(...body: MsgElem[]): GroupMsg {
  return { From_Account: 'u1', IsPlaceMsg: 0, MsgBody: body, MsgRandom: 1, MsgSeq: 1, MsgTimeStamp: 1_700_000_000 };
}

const image: MsgElem = {
  MsgType: 'TIMImageElem',
  MsgContent: {
    UUID: 'img-1', ImageFormat: 1,
    ImageInfoArray: [
      { Type: 1, Size: 1000, Width: 800, Height: 600, URL: 'https://cos.example/img-1?sign=a' },
      { Type: 2, Size: 500, Width: 400, Height: 300, URL: 'https://cos.example/img-1-l?sign=a' },
      { Type: 3, Size: 100, Width: 198, Height: 148, URL: 'https://cos.example/img-1-t?sign=a' },
    ],
  },
};

describe('mediaRefsOf', () => {
  it('lists every rendition of images, files, voice and video, keyed by UUID and rendition, in element order', () => {
    const refs = mediaRefsOf(msg(
      { MsgType: 'TIMTextElem', MsgContent: { Text: 'look' } },
      image,
      { MsgType: 'TIMFileElem', MsgContent: { Url: 'https://cos.example/f', UUID: 'f-1', FileSize: 2048, FileName: '../../etc/passwd', Download_Flag: 2 } },
      { MsgType: 'TIMSoundElem', MsgContent: { Url: 'https://cos.example/s', UUID: 's-1', Size: 300, Second: 7, Download_Flag: 2 } },
      {
        MsgType: 'TIMVideoFileElem',
        MsgContent: {
          VideoUrl: 'https://cos.example/v', VideoUUID: 'v-1', VideoSize: 9000, VideoSecond: 12, VideoFormat: 'mp4', VideoDownloadFlag: 2,
          ThumbUrl: 'https://cos.example/vt', ThumbUUID: 'vt-1', ThumbSize: 90, ThumbWidth: 320, ThumbHeight: 180, ThumbFormat: 'jpg', ThumbDownloadFlag: 2,
        },
      },
    ));
    expect(refs.map((r) => [r.key, r.kind, r.declaredSize])).toEqual([
      ['img-1:original', 'image', 1000], ['img-1:large', 'image', 500], ['img-1:thumbnail', 'image', 100],
      ['f-1:file', 'file', 2048], ['s-1:sound', 'sound', 300], ['v-1:video', 'video', 9000], ['vt-1:video-thumbnail', 'video', 90],
    ]);
    expect(refs[3]!.fileName).toBe('../../etc/passwd');
    expect(refs[4]!.seconds).toBe(7);
    expect(refs[6]).toMatchObject({ width: 320, height: 180, url: 'https://cos.example/vt' });
  });

  it('finds media inside forwarded chats, records an element without URL as such, and skips what cannot be keyed', () => {
    const relay: MsgElem = {
      MsgType: 'TIMRelayElem',
      MsgContent: { Title: 'chat', MsgNum: 1, CompatibleText: '', AbstractList: [], MsgList: [{ MsgBody: [image] }] },
    };
    const old: MsgElem = { MsgType: 'TIMSoundElem', MsgContent: { UUID: 's-old', Size: 10, Second: 1, Download_Flag: 0 } as never };
    const broken = [{ MsgType: 'TIMFileElem' }, { MsgType: 'TIMImageElem', MsgContent: { UUID: 'x', ImageInfoArray: 'no' } }, null] as unknown as MsgElem[];
    const refs = mediaRefsOf(msg(relay, old, ...broken));
    expect(refs.map((r) => r.key)).toEqual(['img-1:original', 'img-1:large', 'img-1:thumbnail', 's-old:sound']);
    expect(refs[3]!.url).toBeUndefined();
    expect(mediaRefsOf({} as GroupMsg)).toEqual([]);
  });
});

describe('mediaFilePath', () => {
  it('stores by content beside the archive, and refuses anything that is not a sha256', () => {
    const sha = 'ab'.repeat(32);
    expect(mediaFilePath('/data/chat.sqlite', sha)).toBe(`/data/chat.sqlite.media/ab/ab/${sha}`);
    expect(() => mediaFilePath('/data/chat.sqlite', '../x')).toThrow(/sha256/);
    expect(() => mediaFilePath('/data/chat.sqlite', sha.toUpperCase())).toThrow(/sha256/);
  });
});
