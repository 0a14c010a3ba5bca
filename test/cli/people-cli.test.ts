// tim-backup against the emulator, as a person uses it: back up a group whose people have hostile, shared and
// changing names, then list its members, search by a past name, and export with each name choice.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberEntry } from '../../app/people/names';
import { type EmulatedPeople, type Emulator, startEmulator } from '../emulator';
import { runCli, runMain } from './run-cli';

const APP = { sdkAppId: 1400000231, secretKey: 'people-cli-key', admins: ['administrator'] };
let emulator: Emulator;
let people: EmulatedPeople;
let dir: string;
let archive: string;
let senders: string[];

beforeAll(async () => {
  emulator = await startEmulator({ apps: [{ ...APP, groups: [{ groupId: 'team', members: 20, messages: 200, seed: 31 }] }] });
  people = emulator.people(APP.sdkAppId);
  dir = await mkdtemp(join(tmpdir(), 'tim-people-cli-'));
  archive = join(dir, 'a.sqlite');
  const group = emulator.group(APP.sdkAppId, 'team');
  const listed = new Set(people.members('team').map((m) => m.account));
  const counts = new Map<string, number>();
  for (let seq = 1; seq <= 200; seq++) {
    const from = group.view(seq)?.From_Account;
    if (from && listed.has(from)) counts.set(from, (counts.get(from) ?? 0) + 1);
  }
  senders = [...counts.keys()].sort();
  people.setCard('team', senders[0]!, 'Solo Person');
  people.setCard('team', senders[1]!, 'Twin');
  people.setCard('team', senders[2]!, 'Twin');
  people.setCard('team', senders[3]!, '\u202Egnp.exe\u202C');
  const env = { TIM_ENDPOINT: emulator.url, TIM_SDKAPPID: String(APP.sdkAppId), TIM_ADMIN: APP.admins[0], TIM_SECRET_KEY: APP.secretKey };
  // The real entry point in its own process, as a scheduler runs it.
  const first = await runCli(['backup', 'team', '--archive', archive], env);
  expect(first.code, first.stderr).toBe(0);
  people.setCard('team', senders[0]!, 'Solo Renamed');
  const second = await runCli(['backup', 'team', '--archive', archive, '--profile-age', '0'], env);
  expect(second.code, second.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('tim-backup members', () => {
  it('--json lists everyone with their names, roles, message counts and name history', async () => {
    const r = await runMain(['members', 'team', '--archive', archive, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [group] = JSON.parse(r.stdout) as { groupId: string; members: MemberEntry[] }[];
    expect(group!.groupId).toBe('team');
    const byAccount = new Map(group!.members.map((m) => [m.account, m]));
    for (const m of people.members('team')) {
      const entry = byAccount.get(m.account)!;
      expect(entry).toMatchObject({ card: m.nameCard, nick: m.nick, role: m.role, joinTime: m.joinTime });
      expect(entry.leftAt).toBeUndefined();
    }
    const solo = byAccount.get(senders[0]!)!;
    expect(solo.name).toBe('Solo Renamed');
    expect(solo.history.card.map((p) => p.value)).toEqual(['Solo Person', 'Solo Renamed']);
    expect(solo.messages).toBeGreaterThan(0);
    // Senders who had left before the first backup are listed too, by their messages.
    expect(group!.members.some((m) => m.lastSeen === undefined && m.messages > 0)).toBe(true);
  });

  it('prints a table a terminal cannot be fooled by; an unknown group is a usage error', async () => {
    const r = await runMain(['members', 'team', '--archive', archive]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ACCOUNT\s+NAME\s+ROLE/u);
    expect(r.stdout).toMatch(/Solo Renamed.*Solo Person/u);
    expect(r.stdout).not.toMatch(/[\u202a-\u202e]/u);
    expect(r.stdout).toContain(' gnp.exe ');
    expect((await runMain(['members', 'nope', '--archive', archive])).code).toBe(2);
    expect((await runMain(['members', '--archive', archive])).code).toBe(2);
  });
});

describe('--from by name', () => {
  it('finds a sender by a past card, and the search matches the name itself', async () => {
    const r = await runMain(['search', 'Solo', '--from', 'Solo Person', '--archive', archive, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { hits } = JSON.parse(r.stdout) as { hits: { From_Account: string; SenderName?: string; SenderMatched?: boolean }[] };
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(h).toMatchObject({ From_Account: senders[0], SenderName: 'Solo Renamed', SenderMatched: true });
  });

  it('a word of a past name alone finds that sender\'s messages', async () => {
    const r = await runMain(['search', 'Person', '--archive', archive, '--json']);
    const { hits } = JSON.parse(r.stdout) as { hits: { From_Account: string; SenderMatched?: boolean }[] };
    expect(hits.filter((h) => h.SenderMatched).map((h) => h.From_Account)).toContain(senders[0]);
  });

  it('a name two people share lists both and asks which', async () => {
    const r = await runMain(['search', 'x', '--from', 'twin', '--archive', archive]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"twin" is a name of 2 people');
    expect(r.stderr).toContain(`${senders[1]}  Twin`);
    expect(r.stderr).toContain(`${senders[2]}  Twin`);
  });
});

describe('export --names', () => {
  it('as-sent names messages by the card they were sent under; card by the current one; bad choices are usage errors', async () => {
    const csv = async (names: string) => {
      const out = join(dir, `${names}.csv`);
      const r = await runMain(['export', '--format', 'csv', '--out', out, '--names', names, '--from', senders[0]!, '--archive', archive]);
      expect(r.code, r.stderr).toBe(0);
      return new Set((await readFile(out, 'utf8')).split('\r\n').slice(1, -1).map((l) => l.split(',')[4]));
    };
    expect(await csv('as-sent')).toEqual(new Set(['Solo Person']));
    expect(await csv('card')).toEqual(new Set(['Solo Renamed']));
    expect(await csv('account')).toEqual(new Set([senders[0]]));
    expect((await runMain(['export', '--format', 'csv', '--out', join(dir, 'x.csv'), '--names', 'nickname', '--archive', archive])).code).toBe(2);
  });
});
