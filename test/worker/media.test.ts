// The worker's side of the desktop app's media: reader pages carry what the store holds of each element, and a
// sha256 is resolved to a stored file only among the profiles' archives (main serves tim-media:// with it).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createService } from '../../app/worker/service';
import { SDKAPPID } from '../export/fixtures';
import { archiveWithMedia, CLIP, PHOTO, PHOTO_THUMB } from '../media/store';
import { EventLog, MemorySecrets } from './helpers';

describe('media through the worker', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tim-worker-media-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const { archive, story } = await archiveWithMedia();
  await archive.close();
  const service = createService({ dataDir: dir }, new EventLog().emit, new MemorySecrets());
  afterAll(() => service.shutdown());
  await service.saveProfile({ profile: { name: 'Media', endpoint: 'singapore', sdkAppId: SDKAPPID, admin: 'administrator', rate: 10, archivePath: archive.path } });

  it('gives reader pages the store copy of each media element, by sha256', async () => {
    const page = await service.readPage({ profile: 'Media', groupId: 'media', anchor: { at: 'seq', seq: story[0]!.MsgSeq }, direction: 'after', limit: 11 });
    const image = page.messages[0]!.elements.find((e) => e.type === 'image');
    expect(image).toMatchObject({ copy: { key: 'img-a:original', state: 'stored', sha256: PHOTO.sha256, mime: 'image/png' }, thumb: { sha256: PHOTO_THUMB.sha256 } });
    const expired = page.messages[5]!.elements.find((e) => e.type === 'image');
    expect(expired).toMatchObject({ copy: { state: 'expired' } });
    expect(expired).not.toHaveProperty('thumb');
  });

  it('resolves a stored sha256 to its file in a profile archive, and nothing else', async () => {
    expect(await service.mediaFile(CLIP.sha256)).toMatchObject({ sha256: CLIP.sha256, size: CLIP.bytes.length, mime: 'video/webm' });
    expect(await service.mediaFile('0'.repeat(64))).toBeUndefined();
    expect(await service.mediaFile(`../${CLIP.sha256}`)).toBeUndefined();
  });
});
