// Members, profiles and their history in a real archive file: every change of card, role, nick and avatar kept
// with first/last seen, departures and returns, unknown accounts, and which profiles are due for a refresh.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive, rowsOf } from '../../app/archive';
import { onCleanup, tempDir, textMsg } from './helpers';

const APP = 1400000001;
const DAY = 86_400_000;

async function openArchive() {
  const path = join(await tempDir(), 'people.sqlite');
  const archive = await Archive.open(path, { create: true });
  onCleanup(() => archive.close());
  const gid = archive.upsertGroup({ sdkAppId: APP, groupId: 'g' });
  return { archive, gid, path };
}

const history = (archive: Archive, field: string, account: string) =>
  rowsOf(archive.db, 'SELECT value, first_seen, last_seen FROM people_history WHERE account = ? AND field = ? ORDER BY first_seen', account, field);

describe('people in the archive', () => {
  it('keeps every card and role a member had, with when each was first and last seen', async () => {
    const { archive, gid, path } = await openArchive();
    archive.upsertMembers(gid, [{ Member_Account: 'u1', NameCard: '老王', Role: 'Member' }], { at: 1000, complete: true });
    archive.upsertMembers(gid, [{ Member_Account: 'u1', NameCard: '老王', Role: 'Member' }], { at: 2000, complete: true });
    archive.upsertMembers(gid, [{ Member_Account: 'u1', NameCard: '王总', Role: 'Admin' }], { at: 3000, complete: true });
    archive.upsertMembers(gid, [{ Member_Account: 'u1', NameCard: '老王', Role: 'Admin' }], { at: 4000, complete: true });
    expect(history(archive, 'card', 'u1')).toEqual([['老王', 1000, 2000], ['王总', 3000, 3000], ['老王', 4000, 4000]]);
    expect(history(archive, 'role', 'u1')).toEqual([['Member', 1000, 2000], ['Admin', 3000, 4000]]);
    // Committed to the file: another process's reader sees the same.
    await archive.commit();
    const reader = await Archive.open(path, { readOnly: true });
    onCleanup(() => reader.close());
    expect(history(reader, 'card', 'u1')).toHaveLength(3);
  });

  it('marks members missing from a complete listing as left, keeps their names, and clears it when they return', async () => {
    const { archive, gid } = await openArchive();
    archive.upsertMembers(gid, [{ Member_Account: 'stays', NameCard: 'A' }, { Member_Account: 'goes', NameCard: 'B' }], { at: 1000, complete: true });
    // A partial listing (one page) proves nothing about who is missing.
    archive.upsertMembers(gid, [{ Member_Account: 'stays', NameCard: 'A' }], { at: 1500 });
    expect(rowsOf(archive.db, "SELECT left_at FROM members WHERE account = 'goes'")).toEqual([[null]]);
    archive.upsertMembers(gid, [{ Member_Account: 'stays', NameCard: 'A' }], { at: 2000, complete: true });
    archive.upsertMembers(gid, [{ Member_Account: 'stays', NameCard: 'A' }], { at: 3000, complete: true });
    expect(rowsOf(archive.db, 'SELECT account, name_card, first_seen, last_seen, left_at FROM members ORDER BY account')).toEqual([
      ['goes', 'B', 1000, 1000, 2000],
      ['stays', 'A', 1000, 3000, null],
    ]);
    archive.upsertMembers(gid, [{ Member_Account: 'goes', NameCard: 'B2' }], { at: 4000, complete: true });
    expect(rowsOf(archive.db, "SELECT first_seen, last_seen, left_at FROM members WHERE account = 'goes'")).toEqual([[1000, 4000, null]]);
    expect(rowsOf(archive.db, "SELECT left_at FROM members WHERE account = 'stays'")).toEqual([[4000]]);
    expect(history(archive, 'card', 'goes')).toEqual([['B', 1000, 1000], ['B2', 4000, 4000]]);
  });

  it('keeps nick and avatar history per app; an unknown account keeps its last known names', async () => {
    const { archive } = await openArchive();
    archive.upsertProfiles(APP, [{ account: 'u1', nick: 'Wang', image: 'https://a/1' }], { at: 1000 });
    archive.upsertProfiles(APP, [{ account: 'u1', nick: 'Wang', image: 'https://a/2' }], { at: 2000 });
    archive.upsertProfiles(APP, [{ account: 'u1', nick: '', image: 'https://a/2' }], { at: 3000 });
    archive.upsertProfiles(APP, [{ account: 'u1', resultCode: 70107 }], { at: 4000 });
    expect(history(archive, 'nick', 'u1')).toEqual([['Wang', 1000, 2000], ['', 3000, 3000]]);
    expect(history(archive, 'avatar', 'u1')).toEqual([['https://a/1', 1000, 1000], ['https://a/2', 2000, 3000]]);
    expect(rowsOf(archive.db, 'SELECT nick, image, result_code, updated_at FROM profiles')).toEqual([['', 'https://a/2', 70107, 4000]]);
    // Another app's account of the same name is another person.
    archive.upsertProfiles(APP + 1, [{ account: 'u1', nick: 'Other' }], { at: 5000 });
    expect(rowsOf(archive.db, "SELECT sdkappid, value FROM people_history WHERE field = 'nick' AND value = 'Other'")).toEqual([[APP + 1, 'Other']]);
  });

  it('profilesDue: members (departed too) and senders without a profile, or with one older than the cut-off', async () => {
    const { archive, gid } = await openArchive();
    const other = archive.upsertGroup({ sdkAppId: APP, groupId: 'other' });
    const run = archive.beginRun();
    archive.storeWindow(gid, 1, 4, [textMsg(1, 'a', { From_Account: 'sender-only' }), textMsg(2, 'b', { From_Account: 'm1' }), textMsg(3, 'tip', { From_Account: '@TIM#SYSTEM' }), textMsg(4, '', { From_Account: '' })], run);
    archive.storeWindow(other, 1, 1, [textMsg(1, 'elsewhere', { From_Account: 'not-asked' })], run);
    archive.upsertMembers(gid, [{ Member_Account: 'm1' }, { Member_Account: 'm2' }, { Member_Account: 'gone' }], { at: 1 });
    archive.upsertMembers(gid, [{ Member_Account: 'm1' }, { Member_Account: 'm2' }], { at: 2, complete: true });
    expect(archive.profilesDue(APP, [gid], 10 * DAY)).toEqual(['gone', 'm1', 'm2', 'sender-only']);
    archive.upsertProfiles(APP, [{ account: 'm1', nick: 'x' }, { account: 'gone', resultCode: 70107 }], { at: 10 * DAY });
    archive.upsertProfiles(APP, [{ account: 'm2', nick: 'y' }], { at: 9 * DAY });
    // Fetched at the cut-off is fresh; before it is stale. Unknown accounts age like the others.
    expect(archive.profilesDue(APP, [gid], 10 * DAY)).toEqual(['m2', 'sender-only']);
    expect(archive.profilesDue(APP + 1, [gid], 0)).toEqual(['gone', 'm1', 'm2', 'sender-only']);
    expect(archive.profilesDue(APP, [gid, other], 10 * DAY)).toEqual(['m2', 'not-asked', 'sender-only']);
  });

  it('memberListDue: never listed, listed before the cut-off, MemberNum not what the archive holds, or a sender no listing held spoke in this run', async () => {
    const { archive, gid } = await openArchive();
    const first = archive.beginRun();
    expect(archive.memberListDue(gid, 0, first)).toBe(true);
    archive.upsertMembers(gid, [{ Member_Account: 'a' }], { at: 5000, complete: true });
    expect(archive.memberListDue(gid, 5000, first)).toBe(false);
    expect(archive.memberListDue(gid, 5001, first)).toBe(true);
    const second = archive.beginRun();
    archive.storeWindow(gid, 1, 2, [textMsg(1, 'hi', { From_Account: 'a' }), textMsg(2, 'tip', { From_Account: '@TIM#SYSTEM' })], second);
    expect(archive.memberListDue(gid, 0, second)).toBe(false);
    archive.storeWindow(gid, 3, 3, [textMsg(3, 'new here', { From_Account: 'newcomer' })], second);
    expect(archive.memberListDue(gid, 0, second)).toBe(true);
    // Someone who left before any listing but whose profile is known is no newcomer.
    archive.upsertProfiles(APP, [{ account: 'newcomer', nick: 'n' }]);
    expect(archive.memberListDue(gid, 0, second)).toBe(false);
    // A later run that stores nothing new from them does not list again for it.
    const third = archive.beginRun();
    expect(archive.memberListDue(gid, 0, third)).toBe(false);
    // Tencent's MemberNum against the members held as present: 'a' alone, until someone joins or 'a' leaves.
    expect(archive.memberListDue(gid, 0, third, 1)).toBe(false);
    expect(archive.memberListDue(gid, 0, third, 2)).toBe(true);
    archive.upsertMembers(gid, [{ Member_Account: 'b' }], { at: 6000, complete: true });
    expect(archive.memberListDue(gid, 0, third, 1)).toBe(false);
    expect(archive.memberListDue(gid, 0, third, 0)).toBe(true);
  });
});
