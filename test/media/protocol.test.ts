// tim-media://<sha256>, the desktop window's only way to media: the stored file by its content hash, whole or by
// byte range (players seek), with its type; anything else — a path, another scheme, a sha256 this archive did not
// store, a method that writes — gets nothing.

import { describe, expect, it } from 'vitest';
import { MediaReader } from '../../app/media/read';
import { mediaProtocolHandler, mediaUrl } from '../../app/media/protocol';
import { archiveWithMedia, CLIP, DOC_FIXTURE, PHOTO } from './store';

describe('the tim-media protocol', async () => {
  const { archive } = await archiveWithMedia();
  const reader = new MediaReader(archive.db, archive.path);
  const looked: string[] = [];
  const handle = mediaProtocolHandler(async (sha) => {
    looked.push(sha);
    return reader.file(sha);
  });
  const get = (url: string, init?: RequestInit) => handle(new Request(url, init));

  it('serves a stored file by its sha256, with its type, never sniffed', async () => {
    const r = await get(mediaUrl(PHOTO.sha256));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/png');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-length')).toBe(String(PHOTO.bytes.length));
    expect(Buffer.from(await r.arrayBuffer())).toEqual(PHOTO.bytes);
    // Anything that is not an image, audio or video the window shows is a download, never a page.
    const doc = await get(`${mediaUrl(DOC_FIXTURE.sha256)}/`);
    expect(doc.headers.get('content-type')).toBe('application/octet-stream');
    expect(doc.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  });

  it('answers byte ranges, as players ask when they seek', async () => {
    const part = await get(mediaUrl(CLIP.sha256), { headers: { Range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${CLIP.bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(CLIP.bytes.subarray(100, 200));
    const tail = await get(mediaUrl(CLIP.sha256), { headers: { Range: 'bytes=-10' } });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(CLIP.bytes.subarray(-10));
    const open = await get(mediaUrl(CLIP.sha256), { headers: { Range: 'bytes=3800-' } });
    expect(Buffer.from(await open.arrayBuffer())).toEqual(CLIP.bytes.subarray(3800));
    const head = await get(mediaUrl(CLIP.sha256), { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), head.headers.get('accept-ranges'), await head.text()]).toEqual([200, String(CLIP.bytes.length), 'bytes', '']);
    for (const bad of [`bytes=${CLIP.bytes.length}-`, 'bytes=5-2', 'bytes=0-1,5-6', 'items=0-1', 'bytes=-0']) {
      const r = await get(mediaUrl(CLIP.sha256), { headers: { Range: bad } });
      expect([bad, r.status, r.headers.get('content-range')]).toEqual([bad, 416, `bytes */${CLIP.bytes.length}`]);
    }
  });

  it('refuses anything that is not a stored sha256, before or at the lookup', async () => {
    looked.length = 0;
    const refused: [string, number][] = [];
    for (const url of [
      'tim-media://../archive.sqlite',
      `tim-media://${PHOTO.sha256}/../../archive.sqlite`,
      `tim-media://${PHOTO.sha256}/x`,
      `tim-media://${PHOTO.sha256}?path=/etc/passwd`,
      `tim-media://${PHOTO.sha256}#f`,
      `tim-media://${PHOTO.sha256}:80`,
      `tim-media://${PHOTO.sha256.toUpperCase()}`,
      `tim-media://${PHOTO.sha256.slice(2)}`,
      `tim-media:///${PHOTO.sha256}`,
      `tim-media:${PHOTO.sha256}`,
      `file:///${PHOTO.sha256}`,
      `https://cos.ap-singapore.myqcloud.com/${PHOTO.sha256}`,
      `tim-media://%2e%2e`,
    ]) {
      refused.push([url, (await get(url)).status]);
    }
    expect(refused.filter(([, status]) => status !== 400)).toEqual([]);
    expect(looked).toEqual([]);
    // Well-formed, but not stored by this archive (or stored, then its file went): looked up, not found.
    expect((await get(mediaUrl('0'.repeat(64)))).status).toBe(404);
    expect(looked).toEqual(['0'.repeat(64)]);
    for (const method of ['POST', 'PUT', 'DELETE']) expect((await get(mediaUrl(PHOTO.sha256), { method })).status).toBe(405);
  });
});
