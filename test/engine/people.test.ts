// Names and their history against the emulator's truth across several backups with changes between them, over
// real HTTP and a real archive file: member lists (Offset and Community Next), profiles of members and of people
// who left, departures, the name a message was sent under, and what it all costs in calls.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Archive, rowsOf } from '../../app/archive';
import { type BackupOptions, runBackup } from '../../app/engine/backup';
import { Pacer } from '../../app/engine/pacer';
import { ImClient } from '../../app/im/client';
import { NameBook, visibleName } from '../../app/people/names';
import { type AppSpec, type Emulator, type EmulatorOptions, startEmulator } from '../emulator';
import { gidOf } from './truth';

const APP = { sdkAppId: 1400000131, secretKey: 'people-engine-key', admins: ['administrator'] };
const FAST_RETRY = { maxAttempts: 8, baseMs: 5, capMs: 50, maxRateLimited: 1000 };
const COMMUNITY = '@TGS#_@TGS#cNAMES';
const HOUR = 3600_000;

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** One clock for Tencent (seconds) and for when the backup saw names (ms), moved by the test between runs. */
function clock() {
  let ms = Date.now();
  return { ms: () => ms, seconds: () => Math.floor(ms / 1000), advance: (by: number) => void (ms += by) };
}

async function setup(groups: AppSpec['groups'], app: Partial<AppSpec> = {}, emu: Partial<EmulatorOptions> = {}) {
  const time = clock();
  const emulator: Emulator = await startEmulator({ apps: [{ ...APP, groups, ...app }], now: time.seconds, ...emu });
  const dir = await mkdtemp(join(tmpdir(), 'tim-people-'));
  const archive = await Archive.open(join(dir, 'archive.sqlite'), { create: true });
  const client = new ImClient({ endpoint: emulator.url, sdkAppId: APP.sdkAppId, identifier: APP.admins[0]!, secretKey: APP.secretKey, now: time.seconds });
  cleanups.push(() => emulator.close(), () => archive.close(), () => rm(dir, { recursive: true, force: true }));
  const backup = async (targets: string[], extra: Partial<BackupOptions> = {}) => {
    const summary = await runBackup({ api: client, archive, sdkAppId: APP.sdkAppId, pacer: new Pacer({ rate: 200 }), targets: targets.map((groupId) => ({ groupId })), retry: FAST_RETRY, now: time.ms, ...extra });
    expect(summary.outcome, summary.error).toBe('ok');
    expect(summary.people?.problems).toEqual([]);
    return summary;
  };
  return { emulator, archive, backup, time, people: emulator.people(APP.sdkAppId) };
}

/** The archive names every current member exactly as Tencent does now. */
function expectNamesMatch(archive: Archive, emulator: Emulator, groupId: string): void {
  const gid = gidOf(archive, groupId);
  const book = new NameBook(archive.db, { gid, sdkAppId: APP.sdkAppId });
  const people = emulator.people(APP.sdkAppId);
  const truth = people.members(groupId);
  const rows = new Map(rowsOf(archive.db, 'SELECT account, name_card, role FROM members WHERE gid = ? AND left_at IS NULL', gid).map((r) => [String(r[0]), r]));
  expect([...rows.keys()].sort()).toEqual(truth.map((m) => m.account).sort());
  for (const m of truth) {
    expect(rows.get(m.account)!.slice(1)).toEqual([m.nameCard, m.role]);
    const p = people.profile(m.account)!;
    expect(rowsOf(archive.db, 'SELECT nick, image FROM profiles WHERE sdkappid = ? AND account = ?', APP.sdkAppId, m.account)).toEqual([[p.nick, p.image]]);
    expect(book.name(m.account)).toBe(visibleName(m.nameCard) ?? visibleName(p.nick));
  }
}

describe('people in a backup', () => {
  it('follows names, roles, avatars, departures and arrivals across runs, in ordinary and Community groups', async () => {
    const { emulator, archive, backup, time, people } = await setup([
      { groupId: 'chat', members: 120, messages: 600, seed: 21 },
      { groupId: COMMUNITY, type: 'Community', members: 450, messages: 80, seed: 22 },
    ]);
    const first = await backup(['chat', COMMUNITY]);
    expect(first.people).toMatchObject({ groupsListed: 2, members: 570 });
    for (const g of ['chat', COMMUNITY]) expectNamesMatch(archive, emulator, g);

    time.advance(2 * HOUR);
    const churn = people.churn(3, 0.04);
    people.setRole('chat', people.members('chat')[5]!.account, 'Admin');
    // Within a day only newcomers' profiles are asked for; renamed nicks wait for their profile to age. Member lists
    // are read again at once here (age 0), whatever MemberNum says.
    const second = await backup(['chat', COMMUNITY], { memberListMaxAgeMs: 0 });
    expect(second.people!.profilesFetched).toBe(new Set(churn.joined.map((j) => j.account)).size);
    time.advance(25 * HOUR);
    await backup(['chat', COMMUNITY]);
    for (const g of ['chat', COMMUNITY]) expectNamesMatch(archive, emulator, g);

    // Every change is a new period; the old value keeps when it was first and last seen.
    for (const c of churn.cards) {
      const gid = gidOf(archive, c.groupId);
      const periods = rowsOf(archive.db, "SELECT value FROM people_history WHERE gid = ? AND account = ? AND field = 'card' ORDER BY first_seen", gid, c.account).map((r) => r[0]);
      expect(periods.at(-1)).toBe(c.card);
    }
    for (const n of churn.nicks) {
      const periods = rowsOf(archive.db, "SELECT value, first_seen FROM people_history WHERE gid = 0 AND account = ? AND field = 'nick' ORDER BY first_seen", n.account);
      expect(periods.at(-1)).toEqual([n.nick, time.ms()]);
      if (periods.length > 1) expect(periods.at(-2)![1]).toBeLessThan(time.ms());
    }
    for (const i of churn.images) expect(rowsOf(archive.db, "SELECT count(*) FROM people_history WHERE account = ? AND field = 'avatar'", i.account)).toEqual([[2]]);
    // Those who left are marked when the listing first lacked them, and keep their names.
    const secondRun = time.ms() - 25 * HOUR;
    for (const l of churn.left) {
      const [[leftAt, lastSeen, card]] = rowsOf(archive.db, 'SELECT left_at, last_seen, name_card FROM members WHERE gid = ? AND account = ?', gidOf(archive, l.groupId), l.account) as [[number, number, string]];
      expect(leftAt).toBe(secondRun);
      expect(lastSeen).toBe(secondRun - 2 * HOUR);
      expect(typeof card).toBe('string');
    }
  });

  it('labels messages with the name they were sent under, and departed senders keep a name', async () => {
    const { emulator, archive, backup, time, people } = await setup([{ groupId: 'g', members: 30, messages: 300, seed: 23 }]);
    await backup(['g']);
    const chat = emulator.group(APP.sdkAppId, 'g');
    time.advance(HOUR);
    chat.append(40);
    const before = chat.newestSeq;
    const senders = [...new Set(Array.from({ length: 40 }, (_, i) => chat.view(before - i)!.From_Account))].filter((a) => people.members('g').some((m) => m.account === a));
    time.advance(HOUR);
    for (const a of senders) people.setCard('g', a, `renamed ${a}`);
    const gone = senders[0]!;
    time.advance(HOUR);
    await backup(['g'], { profileMaxAgeMs: 0, memberListMaxAgeMs: 0 });
    people.leave('g', gone);
    time.advance(HOUR);
    await backup(['g']);

    const gid = gidOf(archive, 'g');
    const asSent = new NameBook(archive.db, { gid, sdkAppId: APP.sdkAppId }, 'as-sent');
    const current = new NameBook(archive.db, { gid, sdkAppId: APP.sdkAppId });
    const firstCards = new Map(rowsOf(archive.db, "SELECT account, value FROM people_history WHERE gid = ? AND field = 'card' ORDER BY first_seen DESC", gid).map((r) => [String(r[0]), String(r[1])]));
    for (let seq = before - 39; seq <= before; seq++) {
      const m = chat.view(seq)!;
      if (!senders.includes(m.From_Account)) continue;
      const nick = visibleName(people.profile(m.From_Account)!.nick);
      // Sent before the rename was seen: the card of the first run (or the nick, if that card was empty).
      expect(asSent.name(m.From_Account, m.MsgTimeStamp)).toBe(visibleName(firstCards.get(m.From_Account)) ?? nick);
      expect(current.name(m.From_Account, m.MsgTimeStamp)).toBe(`renamed ${m.From_Account}`);
    }
    expect(rowsOf(archive.db, 'SELECT left_at IS NOT NULL FROM members WHERE gid = ? AND account = ?', gid, gone)).toEqual([[1]]);
    expect(current.name(gone)).toBe(`renamed ${gone}`);
    // People who left before the first backup have no member entry, but their profile names their messages.
    const former = rowsOf(archive.db, 'SELECT DISTINCT sender FROM messages WHERE gid = ? AND sender NOT IN (SELECT account FROM members) AND sender NOT LIKE \'@TIM#%\' AND sender != \'\'', gid).map((r) => String(r[0]));
    expect(former.length).toBeGreaterThan(0);
    for (const f of former) expect(rowsOf(archive.db, 'SELECT result_code, nick IS NOT NULL FROM profiles WHERE account = ?', f)).toEqual([[0, 1]]);
  });

  it('lists a 6,000-member group exactly under a tight rate limit, and an incremental run of a quiet group reads nothing', async () => {
    const { emulator, archive, backup, time } = await setup(
      [{ groupId: 'big', type: 'ChatRoom', members: 6000, senders: 300, messages: 2000, seed: 24 }],
      { rateLimits: { get_group_member_info: 25 } },
    );
    const first = await backup(['big']);
    expect(first.people).toMatchObject({ groupsListed: 1, members: 6000 });
    expectNamesMatch(archive, emulator, 'big');
    const accounts = Number(rowsOf(archive.db, 'SELECT count(*) FROM profiles')[0]![0]);
    expect(emulator.counters().apis.portrait_get!.codes['0']).toBe(Math.ceil(accounts / 100));
    expect(emulator.counters().apis.get_group_member_info!.codes['0']).toBe(30);
    expect(emulator.counters().apis.get_group_member_info!.codes['60007'] ?? 0).toBeGreaterThan(0);
    emulator.resetCounters();
    time.advance(HOUR);
    const second = await backup(['big']);
    expect(second.people).toMatchObject({ profilesFetched: 0, requests: 0 });
    expect(emulator.counters().apis.get_group_member_info).toBeUndefined();
    expect(emulator.counters().apis.portrait_get).toBeUndefined();
  });

  it('reads a member list again only when MemberNum changed or the list is a day old (default), or every run at age 0', async () => {
    const { emulator, archive, backup, time, people } = await setup([{ groupId: 'g', members: 300, messages: 400, seed: 26 }]);
    await backup(['g']);
    const listings = () => emulator.counters().apis.get_group_member_info?.requests ?? 0;
    const rerun = async (extra: Partial<BackupOptions> = {}) => {
      emulator.resetCounters();
      const s = await backup(['g'], extra);
      return { listed: s.people!.groupsListed, pages: listings() };
    };
    const gid = gidOf(archive, 'g');
    const card = () => rowsOf(archive.db, 'SELECT name_card FROM members WHERE gid = ? AND account = ?', gid, people.members('g')[3]!.account)[0]![0];

    // A renamed card, nobody joined or left: MemberNum is unchanged, the list is not read (seen within a day).
    time.advance(HOUR);
    people.setCard('g', people.members('g')[3]!.account, 'renamed within the day');
    expect(await rerun()).toEqual({ listed: 0, pages: 0 });
    expect(card()).not.toBe('renamed within the day');
    // Age 0: every run reads it (what tests of back-to-back changes use).
    expect(await rerun({ memberListMaxAgeMs: 0 })).toEqual({ listed: 1, pages: 2 });
    expect(card()).toBe('renamed within the day');
    // Someone left: get_group_info's MemberNum differs from the members the archive holds as present.
    time.advance(HOUR);
    const gone = people.members('g')[7]!.account;
    people.leave('g', gone);
    expect(await rerun()).toEqual({ listed: 1, pages: 2 });
    expect(rowsOf(archive.db, 'SELECT left_at FROM members WHERE gid = ? AND account = ?', gid, gone)).toEqual([[time.ms()]]);
    expect(await rerun()).toEqual({ listed: 0, pages: 0 });
    // Older than a day, it is read again, changed or not.
    time.advance(24 * HOUR);
    expect(await rerun()).toEqual({ listed: 0, pages: 0 });
    time.advance(1);
    expect(await rerun()).toEqual({ listed: 1, pages: 2 });
  });

  it('with a member-list age, an incremental run within it reads no member list and no profile', async () => {
    const { emulator, backup, time } = await setup([{ groupId: 'g', members: 300, messages: 400, seed: 25 }]);
    const age = { memberListMaxAgeMs: 24 * HOUR };
    await backup(['g'], age);
    emulator.resetCounters();
    time.advance(HOUR);
    emulator.group(APP.sdkAppId, 'g').append(100);
    const quiet = await backup(['g'], age);
    expect(quiet.people).toMatchObject({ requests: 0, groupsListed: 0 });
    expect(emulator.counters().apis.get_group_member_info).toBeUndefined();
    time.advance(24 * HOUR);
    const due = await backup(['g'], age);
    expect(due.people).toMatchObject({ groupsListed: 1, requests: 2 + 4 });
  });
});
