// The media of a backup, end to end against the emulator on 127.0.0.1: every stored file byte-identical to the
// emulator's truth and every item's final state right, under network faults; expiry; dedupe across groups;
// the size limits; policies.

import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { mediaFolder, mediaRefsOf } from '../../app/media/model';
import { expectExact } from '../engine/truth';
import { LONGER_BY } from '../emulator/media';
import { MediaDownloader } from '../../app/media/downloader';
import { APP, expectStoreExact, FAST_MEDIA, mediaRows, policy, setup } from './harness';

const SMALL = { maxBytes: 60_000, noUrlShare: 0.05 };

describe('media downloads', () => {
  it('stores every rendition byte for byte, with the right final state for each, under slow answers, resets and 5xx', async () => {
    const { emulator, archive, backup } = await setup([
      { groupId: 'pics', messages: 300, seed: 11, media: SMALL },
      { groupId: 'more', messages: 200, seed: 12, media: SMALL },
    ]);
    emulator.media.setFaults({ pReset: 0.1, p5xx: 0.1, pSlow: 0.05, slowMs: 300 });
    // Enough tries that a 20% fault rate cannot exhaust them (0.2^10 per item).
    const summary = await backup(['pics', 'more'], { retry: { tries: 10, baseMs: 5, maxMs: 40 } });
    expect(summary.outcome).toBe('ok');
    const rows = await expectStoreExact(archive, emulator);
    // Every rendition of every archived message has its row, in the state the emulator's truth implies.
    const refs = archive.db.prepare("SELECT raw FROM messages WHERE state = 0").all().flatMap((r) => mediaRefsOf(JSON.parse(String(r.raw))));
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) {
      const row = rows.get(ref.key)!;
      expect(row, ref.key).toBeDefined();
      expect(row.state, ref.key).toBe(ref.url === undefined ? 'no-url' : 'stored');
    }
    expect([...rows.values()].some((r) => r.state === 'no-url')).toBe(true);
    const counts = emulator.media.counters();
    expect(counts.statuses['503'] ?? 0).toBeGreaterThan(0);
    expect(summary.media!.stored).toBe([...rows.values()].filter((r) => r.state === 'stored').length);
    // The type comes from the bytes: JPEG images, SILK voice, MP4 video, PDF or ZIP files.
    const mimes = new Set([...rows.values()].filter((r) => r.state === 'stored').map((r) => `${r.key.split(':')[1]} ${r.mime}`));
    expect([...mimes].every((m) => /^(original|large|thumbnail|video-thumbnail) image\/jpeg$|^sound audio\/silk$|^video video\/mp4$|^file application\/(pdf|zip)$/.test(m)), [...mimes].join(', ')).toBe(true);
    // Bounded concurrency: never more than 4 downloads at once.
    expect(counts.maxInFlight).toBeLessThanOrEqual(4);
  });

  it("fetches the media of the groups it backs up, never waiting on another group's files", async () => {
    const { archive, backup } = await setup([
      { groupId: 'mine', messages: 200, seed: 13, media: SMALL },
      { groupId: 'other', messages: 300, seed: 14, media: SMALL },
    ]);
    // The other group's media are recorded, not downloaded (its backup ran without the downloader).
    expect((await backup(['other'], null)).outcome).toBe('ok');
    const otherGid = archive.groups().find((g) => g.groupId === 'other')!.gid;
    const waitingBefore = archive.mediaCounts(otherGid).pending.items;
    expect(waitingBefore).toBeGreaterThan(20);
    const summary = await backup(['mine']);
    expect(summary.outcome).toBe('ok');
    const mineGid = archive.groups().find((g) => g.groupId === 'mine')!.gid;
    expect(archive.mediaCounts(mineGid).pending.items).toBe(0);
    expect(summary.media!.stored).toBeGreaterThan(0);
    expect(summary.media!.waiting).toBe(0);
    // The other group's media wait for its own backup (or `tim-backup media retry`).
    expect(archive.mediaCounts(otherGid).pending.items).toBe(waitingBefore);
  });

  it('starts the next download as soon as one ends, never waiting for the next look at the archive', async () => {
    const { emulator, archive, backup } = await setup([{ groupId: 'many', messages: 300, seed: 23, media: { maxBytes: 4_000 } }]);
    await backup(['many'], null);
    const pending = [...mediaRows(archive).values()].filter((r) => r.state === 'pending').length;
    expect(pending).toBeGreaterThan(100);
    // The loop looks at the archive again only every 10 minutes: each download's end alone must start the next.
    const d = new MediaDownloader({ archive, policy: policy(), allowLoopback: true, freeBytes: async () => 1e15, ...FAST_MEDIA, pollMs: 600_000 });
    const summary = await d.finish();
    expect(summary.stored + summary.tooLarge + summary.expired + summary.failed).toBe(pending);
    await expectStoreExact(archive, emulator);
  }, 60_000);

  it('marks media expired (404 at Tencent, final) once their messages pass the retention edge, and counts them per group', async () => {
    const { emulator, archive, backup } = await setup([{ groupId: 'old', messages: 200, seed: 21, media: { maxBytes: 20_000 } }]);
    // Record everything, download nothing yet.
    await backup(['old'], null);
    const pending = [...mediaRows(archive).values()].filter((r) => r.state === 'pending');
    expect(pending.length).toBeGreaterThan(10);
    const group = emulator.group(1400000111, 'old');
    group.setRetentionEdge(101);
    const summary = await backup(['old']);
    const rows = await expectStoreExact(archive, emulator);
    const firstSeq = new Map(archive.db.prepare('SELECT key, first_seq FROM media').all().map((r) => [String(r.key), Number(r.first_seq)]));
    let expired = 0;
    for (const row of rows.values()) {
      if (row.state === 'no-url') continue;
      if (firstSeq.get(row.key)! < 101) {
        expect(row.state, row.key).toBe('expired');
        expect(row.lastError).toBe('expired: HTTP 404');
        expired++;
      } else expect(row.state, row.key).toBe('stored');
    }
    expect(expired).toBeGreaterThan(0);
    expect(summary.media!.expired).toBe(expired);
    const gid = archive.groups()[0]!.gid;
    expect(archive.mediaCounts(gid).expired.items).toBe(expired);
  });

  it('stores the same bytes once when several groups sent them (other UUIDs, same content)', async () => {
    const { emulator, archive, backup } = await setup([
      { groupId: 'a', messages: 150, seed: 31, media: { pool: 5 } },
      { groupId: 'b', messages: 150, seed: 32, media: { pool: 5 } },
    ]);
    await backup(['a', 'b']);
    const rows = await expectStoreExact(archive, emulator);
    const stored = [...rows.values()].filter((r) => r.state === 'stored');
    const shas = new Set(stored.map((r) => r.sha256));
    // Renditions of both groups share contents: many rows, few files.
    expect(stored.length).toBeGreaterThan(shas.size * 2);
    const groupsOfSha = new Map<string, Set<number>>();
    for (const r of archive.db.prepare("SELECT m.sha256, mm.gid FROM media m JOIN message_media mm USING (key) WHERE m.state = 'stored'").all()) {
      const set = groupsOfSha.get(String(r.sha256)) ?? new Set();
      set.add(Number(r.gid));
      groupsOfSha.set(String(r.sha256), set);
    }
    expect([...groupsOfSha.values()].some((g) => g.size === 2)).toBe(true);
  });

  it('records files over the maximum as too large without fetching them, and cuts off a body longer than declared', async () => {
    const { emulator, archive, backup } = await setup([{ groupId: 'big', messages: 120, seed: 41, media: { maxBytes: 50_000 } }]);
    await backup(['big'], null);
    const liar = [...mediaRows(archive).values()].find((r) => r.state === 'pending' && r.declared < 30_000)!;
    emulator.media.setFaultsFor(liar.key, { pLonger: 1 });
    const before = emulator.media.counters().bytes;
    const summary = await backup(['big'], { policy: policy({ maxBytes: 30_000 }) });
    const rows = await expectStoreExact(archive, emulator);
    expect(rows.get(liar.key)!.state).toBe('failed');
    expect(rows.get(liar.key)!.lastError).toBe(`longer-than-declared: ${liar.declared}`);
    for (const r of rows.values()) {
      if (r.key === liar.key || r.state === 'no-url') continue;
      // Recorded pending under the first (200 MB) policy, then cut off under 30 000 bytes: too-large, never stored.
      expect(r.state, r.key).toBe(r.declared > 30_000 ? 'too-large' : 'stored');
    }
    expect(summary.media!.tooLarge).toBeGreaterThan(0);
    // What was sent beyond the limits is not much more than a chunk per cut-off download, never the whole body.
    const sent = emulator.media.counters().bytes - before;
    const storedBytes = [...rows.values()].filter((r) => r.state === 'stored').reduce((n, r) => n + r.size!, 0);
    expect(sent - storedBytes).toBeLessThan(LONGER_BY + summary.media!.tooLarge * 50_000);
  });

  it('records without downloading under --media none, and only thumbnails under --media thumbnails', async () => {
    const { emulator, archive, backup } = await setup([{ groupId: 't', messages: 150, seed: 51, media: { maxBytes: 20_000 } }]);
    await backup(['t'], { policy: policy({ mode: 'thumbnails' }) });
    const rows = await expectStoreExact(archive, emulator);
    for (const r of rows.values()) {
      if (r.state === 'no-url') continue;
      const thumb = /:(thumbnail|video-thumbnail)$/.test(r.key);
      expect(r.state, r.key).toBe(thumb ? 'stored' : 'skipped');
    }
    const { archive: other, backup: none } = await setup([{ groupId: 'n', messages: 80, seed: 52, media: { maxBytes: 20_000 } }]);
    await none(['n'], { policy: policy({ mode: 'none' }) });
    expect(new Set([...mediaRows(other).values()].map((r) => r.state))).toEqual(new Set(['skipped']));
  });

  it('refreshes the URL of a pending item from a newer answer, without counting the message as changed', async () => {
    const { archive, backup } = await setup([{ groupId: 'r', messages: 60, seed: 61, media: { maxBytes: 20_000 } }]);
    await backup(['r'], null);
    const first = mediaRows(archive);
    await backup(['r'], null, { lookback: 100 });
    const second = mediaRows(archive);
    const pending = [...second.values()].filter((r) => r.state === 'pending');
    expect(pending.length).toBeGreaterThan(0);
    // The messages read again (the look-back) brought fresh signatures for the same files.
    const refreshed = pending.filter((r) => r.url !== first.get(r.key)!.url);
    expect(refreshed.length).toBeGreaterThan(0);
    for (const r of pending) expect(r.url!.split('?')[0]).toBe(first.get(r.key)!.url!.split('?')[0]);
    // Not a change of the message: no change recorded, the archived message is the first answer.
    expect(Number(archive.db.prepare('SELECT count(*) AS n FROM message_changes').get()!.n)).toBe(0);
    const raws = archive.db.prepare('SELECT raw FROM messages WHERE state = 0').all().map((r) => JSON.parse(String(r.raw)));
    const keptUrls = new Set(raws.flatMap((m) => mediaRefsOf(m).map((ref) => ref.url)));
    for (const r of refreshed) expect(keptUrls.has(first.get(r.key)!.url!)).toBe(true);
  });

  it('records and downloads the media of messages archived before media were recorded (an archive of an earlier version)', async () => {
    const { emulator, archive, backup } = await setup([{ groupId: 'old', messages: 300, seed: 111, media: { maxBytes: 10_000 } }]);
    await backup(['old'], null);
    const recorded = mediaRows(archive).size;
    expect(recorded).toBeGreaterThan(20);
    // As an archive upgraded to schema 7 holds them: messages, no media rows.
    archive.db.exec('DELETE FROM media; DELETE FROM message_media');
    const summary = await new MediaDownloader({ archive, policy: policy(), allowLoopback: true, freeBytes: async () => 1e15, ...FAST_MEDIA }).finish();
    const rows = await expectStoreExact(archive, emulator);
    expect(rows.size).toBe(recorded);
    expect(summary.stored).toBe([...rows.values()].filter((r) => r.state === 'stored').length);
    expect([...rows.values()].every((r) => r.state === (r.url === null ? 'no-url' : 'stored'))).toBe(true);
    // Once done, it does not look again: rows removed now stay removed.
    archive.db.exec('DELETE FROM media; DELETE FROM message_media');
    await new MediaDownloader({ archive, policy: policy(), allowLoopback: true, freeBytes: async () => 1e15, ...FAST_MEDIA }).finish();
    expect(mediaRows(archive).size).toBe(0);
  });

  it('backs up the messages even when the media folder cannot be made, and says why', async () => {
    const { emulator, archive, backup, path } = await setup([{ groupId: 'm', messages: 80, seed: 121, media: { maxBytes: 5000 } }]);
    // A file where the media folder should be.
    await writeFile(mediaFolder(path), 'in the way');
    const summary = await backup(['m']);
    expect(summary.outcome).toBe('ok');
    expect(summary.media!.unavailable).toMatch(/archive\.sqlite\.media: (EEXIST|ENOTDIR)$/);
    expect(summary.media!.stored).toBe(0);
    expect(summary.media!.waiting).toBeGreaterThan(0);
    expect(emulator.media.counters().requests).toBe(0);
    expectExact(archive, 'm', emulator.group(APP.sdkAppId, 'm'));
  });
});
