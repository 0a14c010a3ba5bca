// The small parts: the type from the first bytes, sizes as people type them, the state a rendition starts in,
// a stored reason in words, which addresses are which, and a profile's media settings on disk.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, isLoopbackEndpoint, refusal } from '../../app/media/address';
import type { MediaRef } from '../../app/media/model';
import { DEFAULT_MEDIA_POLICY, initialState, parseByteSize, parseMediaMode, policyOf } from '../../app/media/policy';
import { ProfileStore, readProfileSync } from '../../app/profiles/settings';
import { formatReason, parseReason } from '../../app/media/reasons';
import { sniffMime } from '../../app/media/sniff';
import { mediaWords, reasonText } from '../../app/media/words';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffMime', () => {
  it.each([
    ['image/jpeg', bytes([0xff, 0xd8, 0xff, 0xdb])],
    ['image/png', bytes([0x89], 'PNG\r\n\x1a\n')],
    ['image/gif', bytes('GIF89a')],
    ['image/webp', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')],
    ['image/heic', bytes([0, 0, 0, 0x18], 'ftypheic')],
    ['video/mp4', bytes([0, 0, 0, 0x18], 'ftypmp42')],
    ['audio/wav', bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt ')],
    ['audio/amr', bytes('#!AMR\n')],
    ['audio/silk', bytes([0x02], '#!SILK_V3')],
    ['audio/mpeg', bytes('ID3', [4, 0])],
    ['application/pdf', bytes('%PDF-1.4')],
    ['application/zip', bytes([0x50, 0x4b, 0x03, 0x04])],
    ['application/octet-stream', bytes('<html><script>')],
    ['application/octet-stream', bytes('')],
  ])('%s', (mime, head) => expect(sniffMime(head)).toBe(mime));
});

describe('policy', () => {
  const ref = (over: Partial<MediaRef>): MediaRef => ({ key: 'u:original', uuid: 'u', rendition: 'original', kind: 'image', url: 'https://x/y', declaredSize: 10, ...over });
  it('starts each rendition in the state the policy gives it', () => {
    expect(initialState(ref({}), DEFAULT_MEDIA_POLICY)).toBe('pending');
    expect(initialState(ref({ url: undefined }), DEFAULT_MEDIA_POLICY)).toBe('no-url');
    expect(initialState(ref({ declaredSize: 300 * 1024 ** 2 }), DEFAULT_MEDIA_POLICY)).toBe('too-large');
    expect(initialState(ref({}), { ...DEFAULT_MEDIA_POLICY, mode: 'none' })).toBe('skipped');
    expect(initialState(ref({}), { ...DEFAULT_MEDIA_POLICY, mode: 'thumbnails' })).toBe('skipped');
    expect(initialState(ref({ rendition: 'video-thumbnail', kind: 'video' }), { ...DEFAULT_MEDIA_POLICY, mode: 'thumbnails' })).toBe('pending');
    expect(initialState(ref({ rendition: 'sound', kind: 'sound' }), { ...DEFAULT_MEDIA_POLICY, mode: 'thumbnails' })).toBe('skipped');
  });

  it('reads sizes and modes as people type them', () => {
    expect(parseByteSize('200MB')).toBe(200 * 1024 ** 2);
    expect(parseByteSize('1.5 GB')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize('500k')).toBe(500 * 1024);
    expect(parseByteSize('1048576')).toBe(1048576);
    for (const bad of ['', 'lots', '-1MB', '5 parsecs', '1e3']) expect(parseByteSize(bad), bad).toBeUndefined();
    expect(parseMediaMode('thumbnails')).toBe('thumbnails');
    expect(parseMediaMode('ALL')).toBeUndefined();
  });
});

describe('reasons', () => {
  it('stores a code and detail, and says them in English and Chinese', () => {
    const text = formatReason({ code: 'refused-address', detail: '10.0.0.1 is a private address' });
    expect(parseReason(text)).toEqual({ code: 'refused-address', detail: '10.0.0.1 is a private address' });
    expect(reasonText(mediaWords('en'), text)).toBe('Not downloaded: the link leads into a private network (10.0.0.1 is a private address).');
    expect(reasonText(mediaWords('zh-CN'), 'expired: HTTP 404')).toBe('腾讯云上已没有该文件（HTTP 404）。');
    // A code from a newer version is shown as it was stored.
    expect(reasonText(mediaWords('en'), 'quantum-flux: 7')).toBe('quantum-flux: 7');
  });
});

describe('addresses', () => {
  it.each([
    ['8.8.8.8', 'public'], ['127.0.0.1', 'loopback'], ['127.8.9.10', 'loopback'], ['::1', 'loopback'], ['10.1.2.3', 'private'],
    ['172.31.255.255', 'private'], ['172.32.0.1', 'public'], ['192.168.0.1', 'private'], ['100.64.0.1', 'private'], ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'], ['fd12::1', 'private'], ['::ffff:192.168.1.1', 'private'], ['0.0.0.0', 'unspecified'], ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'], ['255.255.255.255', 'reserved'], ['2001:4860:4860::8888', 'public'],
  ])('%s is %s', (address, cls) => expect(classify(address)).toBe(cls));

  it('allows loopback only when told the API endpoint is on loopback', () => {
    expect(refusal('127.0.0.1', true)).toBeUndefined();
    expect(refusal('127.0.0.1', false)).toBe('127.0.0.1 is a loopback address');
    expect(refusal('10.0.0.1', true)).toBe('10.0.0.1 is a private address');
    expect(isLoopbackEndpoint('http://127.0.0.1:5080')).toBe(true);
    expect(isLoopbackEndpoint('http://[::1]:5080')).toBe(true);
    expect(isLoopbackEndpoint('http://localhost:5080')).toBe(true);
    expect(isLoopbackEndpoint('https://console.tim.qq.com')).toBe(false);
    expect(isLoopbackEndpoint('not a url')).toBe(false);
  });
});

describe('a profile\'s media settings', () => {
  it('are saved with the profile, read back, and refused when malformed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tim-media-profile-'));
    try {
      const file = join(dir, 'settings.json');
      const store = new ProfileStore(file, join(dir, 'archives'));
      const media = { mode: 'thumbnails' as const, maxBytes: 10 * 1024 ** 2 };
      await store.save({ name: 'P', endpoint: 'singapore', sdkAppId: 1400123456, admin: 'administrator', rate: 150, media });
      const read = readProfileSync(file, 'P');
      expect(read.media).toEqual(media);
      expect(policyOf(read.media)).toEqual({ mode: 'thumbnails', maxBytes: 10 * 1024 ** 2, diskFloorBytes: DEFAULT_MEDIA_POLICY.diskFloorBytes });
      await writeFile(file, JSON.stringify({ version: 1, profiles: [{ ...read, media: { mode: 'originals' } }] }));
      expect(() => readProfileSync(file, 'P')).toThrow(/mode/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
