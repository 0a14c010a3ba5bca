// People's avatars through the media store, against the emulator's real PNGs over HTTP and a real archive: every
// avatar byte for byte, one file per picture however many people use it, each avatar period of the name history
// pointing at its file, and what happens to avatars that cannot be fetched.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../app/archive';
import { describeMediaRun, mediaWords } from '../../app/media/words';
import { APP, expectStoreExact, mediaRows, policy, setup, storedFiles } from './harness';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function avatarRows(archive: Parameters<typeof mediaRows>[0]) {
  return [...mediaRows(archive, true).values()].filter((r) => r.key.endsWith(':avatar'));
}

/** Each avatar period of `account`: its URL and the sha256 of the file it points at (null: none stored). */
function avatarHistory(archive: Parameters<typeof mediaRows>[0], account: string): [string, string | null][] {
  return rowsOf(
    archive.db,
    `SELECT h.value, m.sha256 FROM people_history h LEFT JOIN media m ON m.key = h.media_key AND m.state = 'stored'
     WHERE h.field = 'avatar' AND h.account = ? ORDER BY h.first_seen, h.id`,
    account,
  ).map(([v, s]) => [String(v), s === null ? null : String(s)]);
}

describe('avatars', () => {
  it('stores every avatar byte for byte, once per picture, and points each avatar period at its file', async () => {
    const { emulator, archive, backup } = await setup([{ groupId: 'team', members: 30, messages: 40, seed: 5, media: { maxBytes: 4000 } }]);
    const people = emulator.people(APP.sdkAppId);
    const [, a, b, changer] = people.members('team');
    // Two people with one picture (an app's default avatar, say).
    people.setImage(b!.account, people.profile(a!.account)!.image);
    const first = await backup(['team']);
    expect(first.outcome).toBe('ok');
    await expectStoreExact(archive, emulator);

    const images = new Set(rowsOf(archive.db, "SELECT image FROM profiles WHERE image != ''").map((r) => String(r[0])));
    expect(images.size).toBeGreaterThan(25);
    const rows = avatarRows(archive);
    expect(rows.map((r) => r.url).sort()).toEqual([...images].sort());
    expect(rows.every((r) => r.state === 'stored' && r.mime === 'image/png')).toBe(true);
    expect(first.media!.avatars).toBe(images.size);
    expect(describeMediaRun(mediaWords('en'), first.media!)).toContain(`\nAvatars: ${images.size} new pictures stored.`);
    expect(describeMediaRun(mediaWords('zh-CN'), first.media!)).toContain(`\n头像：新保存 ${images.size} 张。`);
    // Avatars are not the messages' media: the run's file count and `status` leave them out.
    expect(first.media!.stored).toBe([...mediaRows(archive).values()].filter((r) => r.state === 'stored').length);
    expect(archive.mediaCounts().stored.items).toBe(first.media!.stored);
    // The shared picture: one row, one file, both people's history pointing at it.
    expect(avatarHistory(archive, a!.account)).toEqual(avatarHistory(archive, b!.account));
    expect((await storedFiles(archive.path)).filter((f) => f === avatarHistory(archive, a!.account)[0]![1])).toHaveLength(1);

    // A new avatar is a new URL: a new period, its own file; the old period keeps the old file.
    const old = people.profile(changer!.account)!.image;
    const next = `${emulator.url}/avatar/${encodeURIComponent(changer!.account)}/2.png`;
    people.setImage(changer!.account, next);
    const second = await backup(['team'], {}, { profileMaxAgeMs: 0 });
    expect(second.media!.avatars).toBe(1);
    expect(avatarHistory(archive, changer!.account)).toEqual([
      [old, sha(emulator.media.avatarBytes(old))],
      [next, sha(emulator.media.avatarBytes(next))],
    ]);
    expect(sha(emulator.media.avatarBytes(old))).not.toBe(sha(emulator.media.avatarBytes(next)));
    await expectStoreExact(archive, emulator);
  });

  it('an avatar replaced before it was fetched is expired (404), a value that is no web address is never fetched, --media none fetches none', async () => {
    const { emulator, archive, backup } = await setup([{ groupId: 'g', members: 12, messages: 20, seed: 6, media: { maxBytes: 4000 } }]);
    const people = emulator.people(APP.sdkAppId);
    const [, gone, odd] = people.members('g');
    people.setImage(odd!.account, '7');
    // Recorded, not downloaded: then the person changes their avatar, and the old URL is gone at the server.
    await backup(['g'], null);
    const old = people.profile(gone!.account)!.image;
    people.setImage(gone!.account, `${emulator.url}/avatar/${encodeURIComponent(gone!.account)}/3.png`);
    const run = await backup(['g']);
    expect(run.outcome).toBe('ok');
    const byUrl = new Map(avatarRows(archive).map((r) => [r.url ?? r.key, r]));
    expect(byUrl.get(old)).toMatchObject({ state: 'expired', lastError: 'expired: HTTP 404' });
    expect(byUrl.get('7:avatar')).toMatchObject({ state: 'no-url', url: null });
    expect(avatarHistory(archive, odd!.account)).toEqual([['7', null]]);
    // An avatar that could not be kept is not a missing message file: the run's tallies leave it out.
    expect(run.media!.expired).toBe(0);
    await expectStoreExact(archive, emulator);

    const { archive: none, backup: noMedia, emulator: emu2 } = await setup([{ groupId: 'n', members: 8, messages: 10, seed: 7, media: { maxBytes: 4000 } }]);
    await noMedia(['n'], { policy: policy({ mode: 'none' }) });
    expect(new Set(avatarRows(none).map((r) => r.state))).toEqual(new Set(['skipped']));
    expect(emu2.media.counters().requests).toBe(0);
  });
});
