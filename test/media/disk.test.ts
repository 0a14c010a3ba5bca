// The free-disk floor: below it media downloads pause with a warning while the messages go on being backed up,
// and continue when space returns; a run that ends while still paused leaves the media pending for later.

import { describe, expect, it } from 'vitest';
import { Pacer } from '../../app/engine/pacer';
import { type MediaEvent, MediaDownloader } from '../../app/media/downloader';
import { expectExact } from '../engine/truth';
import { APP, expectStoreExact, FAST_MEDIA, mediaRows, policy, setup } from './harness';

const FLOOR = 50_000_000;

describe('free disk floor', () => {
  it('pauses media below the floor while messages continue, then resumes when space is freed', async () => {
    const { emulator, archive, backup } = await setup([{ groupId: 'd', messages: 400, seed: 91, media: { maxBytes: 10_000 } }]);
    let free = FLOOR / 2;
    const events: MediaEvent['type'][] = [];
    let mediaWhenFreed: { stored: number; pending: number } | undefined;
    const summary = await backup(
      ['d'],
      { policy: policy({ diskFloorBytes: FLOOR }), freeBytes: async () => free, onEvent: (e) => events.push(e.type) },
      {
        // Slow enough that the messages are still coming when space is freed.
        pacer: new Pacer({ rate: 20 }),
        onProgress: (p) => {
          if (mediaWhenFreed || p.messagesStored < 150 || !events.includes('disk-paused')) return;
          const c = archive.mediaCounts();
          mediaWhenFreed = { stored: c.stored.items, pending: c.pending.items };
          free = FLOOR * 10;
        },
      },
    );
    expect(summary.outcome).toBe('ok');
    // While paused: messages stored, media recorded and waiting, none downloaded.
    expect(mediaWhenFreed!.stored).toBe(0);
    expect(mediaWhenFreed!.pending).toBeGreaterThan(20);
    expect(events.filter((e) => e !== 'settled')).toEqual(['disk-paused', 'disk-resumed']);
    expect(summary.media!.diskPaused).toBe(false);
    expectExact(archive, 'd', emulator.group(APP.sdkAppId, 'd'));
    const rows = await expectStoreExact(archive, emulator);
    for (const r of rows.values()) expect(r.state, r.key).toBe(r.url === null ? 'no-url' : 'stored');
  }, 120_000);

  it('ends the run with the messages complete and the media pending when the disk stays full, and a retry completes them', async () => {
    const { emulator, archive, backup } = await setup([{ groupId: 'f', messages: 200, seed: 92, media: { maxBytes: 10_000 } }]);
    const summary = await backup(['f'], { policy: policy({ diskFloorBytes: FLOOR }), freeBytes: async () => FLOOR - 1 });
    expect(summary.outcome).toBe('ok');
    expect(summary.media!.diskPaused).toBe(true);
    expect(summary.media!.stored).toBe(0);
    expect(summary.media!.waiting).toBeGreaterThan(0);
    expectExact(archive, 'f', emulator.group(APP.sdkAppId, 'f'));
    expect(emulator.media.counters().requests).toBe(0);
    const retry = await new MediaDownloader({ archive, policy: policy({ diskFloorBytes: FLOOR }), allowLoopback: true, freeBytes: async () => FLOOR * 10, ...FAST_MEDIA }).finish();
    expect(retry.stored).toBe(summary.media!.waiting);
    const rows = await expectStoreExact(archive, emulator);
    expect([...rows.values()].filter((r) => r.state === 'pending')).toEqual([]);
    expect(mediaRows(archive).size).toBeGreaterThan(0);
  });
});
