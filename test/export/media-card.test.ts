// What a media element's card says of its file, for every rendering (HTML, TXT, the reader): shown, played,
// offered to save, or why it is missing — and Tencent's link only where it still means something.

import { describe, expect, it } from 'vitest';
import { type CardElement, cardOf, type MediaHref } from '../../app/export/card';
import { dictionary } from '../../app/export/i18n';
import { type ElementView, viewMessage } from '../../app/export/view';
import type { MediaCopy } from '../../app/media/types';
import { fileElem, imageElem, mediaMessage, PHOTO, PHOTO_THUMB, soundElem } from '../media/store';

const d = dictionary('en');
const href: MediaHref = (c) => `media/${c.sha256}`;
const stored = (key: string, sha256: string, mime: string, size = 10): MediaCopy => ({ key, state: 'stored', sha256, mime, size });

function element(copies: Record<string, MediaCopy>, ...body: Parameters<typeof mediaMessage>[3][]): ElementView {
  const m = mediaMessage(1, 1_700_000_000, 'alice', ...body);
  return viewMessage({ seq: 1, state: 0, sender: 'alice', time: m.MsgTimeStamp, isSystem: false, raw: JSON.stringify(m) }, {
    name: () => undefined,
    media: (key) => copies[key] ?? { key, state: 'pending', size: 0 },
  }).elements[0]!;
}

describe('media cards', () => {
  it('show a stored image by its thumbnail, linking the original, without Tencent\'s signed URL', () => {
    const e = element({ 'img:original': stored('img:original', 'a'.repeat(64), 'image/png'), 'img:thumbnail': stored('img:thumbnail', 'b'.repeat(64), 'image/jpeg') }, imageElem('img', PHOTO, PHOTO_THUMB));
    const card = cardOf(e as CardElement, d, href);
    expect(card.media).toEqual({ show: 'image', src: `media/${'a'.repeat(64)}`, sha256: 'a'.repeat(64), mime: 'image/png', size: 10, thumb: `media/${'b'.repeat(64)}` });
    expect(card.links).toEqual([{ href: `media/${'a'.repeat(64)}`, label: d.original, local: true }]);
  });

  it('fall back to the large rendition when only it was stored', () => {
    const e = element({ 'img:original': { key: 'img:original', state: 'too-large', size: 9 }, 'img:large': stored('img:large', 'c'.repeat(64), 'image/jpeg') }, imageElem('img', PHOTO, PHOTO_THUMB));
    expect(cardOf(e as CardElement, d, href).media).toMatchObject({ show: 'image', sha256: 'c'.repeat(64) });
  });

  it('offer a voice no browser plays, and an image no browser shows, as files to save', () => {
    const silk = element({ 's:sound': stored('s:sound', 'd'.repeat(64), 'audio/silk') }, soundElem('s', 10, 3));
    expect(cardOf(silk as CardElement, d, href).media).toMatchObject({ show: 'file', unplayable: d.cannotPlay });
    const heic = element({ 'img:original': stored('img:original', 'e'.repeat(64), 'image/heic') }, imageElem('img', PHOTO, PHOTO_THUMB));
    expect(cardOf(heic as CardElement, d, href).media).toMatchObject({ show: 'file' });
    expect(cardOf(heic as CardElement, d, href).media).not.toHaveProperty('unplayable');
  });

  it('say why a file is missing; keep Tencent\'s link unless it expired; say when an export left it out', () => {
    const failed = element({ 'f:file': { key: 'f:file', state: 'failed', size: 5 } }, fileElem('f', 'a.txt', 5));
    expect(cardOf(failed as CardElement, d, href)).toMatchObject({ media: { show: 'file', size: 5, missing: d.mediaMissing.failed }, links: [{ label: d.online }] });
    const expired = element({ 'f:file': { key: 'f:file', state: 'expired', size: 5 } }, fileElem('f', 'a.txt', 5));
    expect(cardOf(expired as CardElement, d, href)).toMatchObject({ media: { missing: d.mediaMissing.expired }, links: [] });
    const left = element({ 'f:file': stored('f:file', 'f'.repeat(64), 'text/plain') }, fileElem('f', 'a.txt', 5));
    expect(cardOf(left as CardElement, d, () => undefined).media).toEqual({ show: 'file', size: 10, missing: d.mediaNotExported });
    // The name is only a suggested name, made safe.
    expect(cardOf(left as CardElement, d, href).media?.saveAs).toBe('a.txt');
  });

  it('speak of Tencent\'s links only where media are not looked up', () => {
    const e = element({}, fileElem('f', 'a.txt', 5));
    const card = cardOf(e as CardElement, d);
    expect(card.media).toBeUndefined();
    expect(card.links).toEqual([{ href: 'https://cos.ap-singapore.myqcloud.com/im/f?sign=f', label: d.online }]);
  });
});
