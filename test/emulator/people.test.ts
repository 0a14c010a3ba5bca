// get_group_member_info and portrait_get against people who change: filters, paging over a 6,000-member group,
// renames, departures and arrivals between runs, hostile names, unknown accounts, the rate limit.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupMember, UserProfileItem } from '../../app/im/wire';
import { HOSTILE_NAMES } from './corpus';
import { type Creds, rawCall } from './raw-call';
import { type Emulator, startEmulator } from './index';

const C: Creds = { sdkAppId: 1400000777, identifier: 'admin', secretKey: 'people-key' };
const LIMITED: Creds = { ...C, sdkAppId: 1400000778 };
const COMMUNITY = '@TGS#_@TGS#cPEOPLE';
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({
    apps: [
      {
        sdkAppId: C.sdkAppId, secretKey: C.secretKey, admins: ['admin'],
        groups: [
          { groupId: 'big', type: 'ChatRoom', members: 6000, senders: 2000, messages: 3000, seed: 4 },
          { groupId: 'small', members: 40, messages: 400, seed: 5 },
          { groupId: COMMUNITY, type: 'Community', members: 330, messages: 0 },
        ],
      },
      { sdkAppId: LIMITED.sdkAppId, secretKey: LIMITED.secretKey, admins: ['admin'], groups: [{ groupId: 'g', members: 10 }], rateLimits: { get_group_member_info: 5, portrait_get: 5 } },
    ],
  });
});
afterAll(() => emu.close());

const call = (api: Parameters<typeof rawCall>[1], body: unknown, creds = C) => rawCall(emu.url, api, body, creds);

async function listAll(groupId: string, extra: Record<string, unknown> = {}): Promise<GroupMember[]> {
  const out: GroupMember[] = [];
  for (let offset = 0; ; offset += 200) {
    const r = await call('get_group_member_info', { GroupId: groupId, Limit: 200, Offset: offset, ...extra });
    expect(r.json['ErrorCode']).toBe(0);
    const page = r.json['MemberList'] as GroupMember[];
    out.push(...page);
    if (page.length < 200) return out;
  }
}

async function profiles(accounts: string[], tags = ['Tag_Profile_IM_Nick', 'Tag_Profile_IM_Image']): Promise<UserProfileItem[]> {
  const out: UserProfileItem[] = [];
  for (let i = 0; i < accounts.length; i += 100) {
    const r = await call('portrait_get', { To_Account: accounts.slice(i, i + 100), TagList: tags });
    expect(r.json['ErrorCode']).toBe(0);
    out.push(...(r.json['UserProfileItem'] as UserProfileItem[]));
  }
  return out;
}

describe('get_group_member_info', () => {
  it('lists a 6,000-member group exactly, 200 at a time', async () => {
    const all = await listAll('big');
    expect(all).toHaveLength(6000);
    expect(all.map((m) => m.Member_Account)).toEqual(emu.people(C.sdkAppId).members('big').map((m) => m.account));
    expect(all.map((m) => m.NameCard)).toEqual(emu.people(C.sdkAppId).members('big').map((m) => m.nameCard));
  });

  it('answers only the fields MemberInfoFilter names, and only the roles MemberRoleFilter names', async () => {
    const r = await call('get_group_member_info', { GroupId: 'small', Limit: 5, MemberInfoFilter: ['NameCard', 'Role'] });
    for (const m of r.json['MemberList'] as GroupMember[]) expect(Object.keys(m).sort()).toEqual(['Member_Account', 'NameCard', 'Role']);
    const admins = await listAll('small', { MemberRoleFilter: ['Owner', 'Admin'] });
    expect(admins.map((m) => m.Role).sort()).toEqual(['Admin', 'Admin', 'Owner']);
    expect((await call('get_group_member_info', { GroupId: 'small', MemberInfoFilter: ['Nick'] })).json['ErrorCode']).toBe(10004);
    expect((await call('get_group_member_info', { GroupId: 'small', MemberInfoFilter: 'NameCard' })).json['ErrorCode']).toBe(10004);
    expect((await call('get_group_member_info', { GroupId: 'small', MemberRoleFilter: ['Boss'] })).json['ErrorCode']).toBe(10004);
  });

  it('pages a Community group with Next, filters included', async () => {
    const accounts: string[] = [];
    let next = '';
    do {
      const r = await call('get_group_member_info', { GroupId: COMMUNITY, Limit: 200, Next: next, MemberInfoFilter: ['NameCard'] });
      expect(r.json['ErrorCode']).toBe(0);
      accounts.push(...(r.json['MemberList'] as GroupMember[]).map((m) => m.Member_Account));
      next = r.json['Next'] as string;
    } while (next !== '');
    expect(accounts).toEqual(emu.people(C.sdkAppId).members(COMMUNITY).map((m) => m.account));
  });

  it('is rate-limited per app like the other APIs', async () => {
    const codes = await Promise.all(Array.from({ length: 8 }, () => call('get_group_member_info', { GroupId: 'g' }, LIMITED).then((r) => r.json['ErrorCode'])));
    expect(codes.filter((c) => c === 0)).toHaveLength(5);
    expect(codes.filter((c) => c === 60007)).toHaveLength(3);
    const portraits = await Promise.all(Array.from({ length: 7 }, () => call('portrait_get', { To_Account: ['admin'], TagList: ['Tag_Profile_IM_Nick'] }, LIMITED).then((r) => r.json['ErrorCode'])));
    expect(portraits.filter((c) => c === 60007)).toHaveLength(2);
  });
});

describe('portrait_get', () => {
  it('answers nick and avatar, a per-account 70107 and Fail_Account for unknown accounts, and nothing for unknown tags', async () => {
    const [first] = emu.people(C.sdkAppId).members('small');
    const r = await call('portrait_get', { To_Account: [first!.account, 'nobody-here'], TagList: ['Tag_Profile_IM_Image', 'Tag_Profile_IM_Nick', 'Tag_Made_Up'] });
    expect(r.json['ErrorCode']).toBe(0);
    expect(r.json['Fail_Account']).toEqual(['nobody-here']);
    const [known, unknown] = r.json['UserProfileItem'] as UserProfileItem[];
    expect(known).toEqual({
      To_Account: first!.account, ResultCode: 0, ResultInfo: '',
      ProfileItem: [{ Tag: 'Tag_Profile_IM_Image', Value: emu.people(C.sdkAppId).profile(first!.account)!.image }, { Tag: 'Tag_Profile_IM_Nick', Value: first!.nick }],
    });
    expect(unknown).toMatchObject({ To_Account: 'nobody-here', ResultCode: 70107 });
    expect(unknown!.ProfileItem).toBeUndefined();
  });

  it('knows people who sent messages and left', async () => {
    const p = emu.people(C.sdkAppId);
    const leaver = p.members('small')[3]!;
    p.leave('small', leaver.account);
    expect((await listAll('small')).map((m) => m.Member_Account)).not.toContain(leaver.account);
    const [item] = await profiles([leaver.account]);
    expect(item!.ResultCode).toBe(0);
  });
});

describe('people who change between runs', () => {
  it('churn renames, moves avatars, makes people leave and join; both APIs answer the new truth', async () => {
    const p = emu.people(C.sdkAppId);
    const before = await listAll('big');
    const churn = p.churn(1, 0.02);
    for (const k of ['cards', 'nicks', 'images', 'left', 'joined'] as const) expect(churn[k].length).toBeGreaterThan(40);
    const after = await listAll('big');
    expect(after.length).toBe(before.length - churn.left.filter((l) => l.groupId === 'big').length + churn.joined.filter((j) => j.groupId === 'big').length);
    const cards = new Map(after.map((m) => [m.Member_Account, m.NameCard]));
    for (const c of churn.cards.filter((x) => x.groupId === 'big')) expect(cards.get(c.account)).toBe(c.card);
    for (const l of churn.left.filter((x) => x.groupId === 'big')) expect(cards.has(l.account)).toBe(false);
    const answered = new Map((await profiles(churn.nicks.map((n) => n.account))).map((i) => [i.To_Account, i.ProfileItem![0]!.Value]));
    for (const n of churn.nicks) expect(answered.get(n.account)).toBe(n.nick);
    const images = await profiles(churn.images.map((n) => n.account), ['Tag_Profile_IM_Image']);
    expect(images.map((i) => i.ProfileItem![0]!.Value)).toEqual(churn.images.map((i) => i.image));
    // The same seed on the same people is the same change: runs are reproducible.
    expect(churn.cards.some((c) => (HOSTILE_NAMES as readonly string[]).some((h) => h !== '' && c.card.startsWith(h)))).toBe(true);
  });

  it('serves hostile names byte for byte: overrides, zero-width, 200 characters, markup, empty', async () => {
    const p = emu.people(C.sdkAppId);
    const accounts = p.members('small').slice(4, 4 + HOSTILE_NAMES.length).map((m) => m.account);
    accounts.forEach((a, i) => {
      p.setCard('small', a, HOSTILE_NAMES[i]!);
      p.setNick(a, HOSTILE_NAMES[HOSTILE_NAMES.length - 1 - i]!);
    });
    const cards = new Map((await listAll('small')).map((m) => [m.Member_Account, m.NameCard]));
    expect(accounts.map((a) => cards.get(a))).toEqual([...HOSTILE_NAMES]);
    const nicks = (await profiles(accounts, ['Tag_Profile_IM_Nick'])).map((i) => i.ProfileItem![0]!.Value);
    expect(nicks).toEqual([...HOSTILE_NAMES].reverse());
    expect(HOSTILE_NAMES.some((n) => [...n].length === 200)).toBe(true);
  });

  it('keeps history senders when their member entry is gone', () => {
    const p = emu.people(C.sdkAppId);
    const messages = emu.group(C.sdkAppId, 'small');
    const senders = new Set(Array.from({ length: 400 }, (_, i) => messages.view(i + 1)?.From_Account).filter(Boolean));
    const current = new Set(p.members('small').map((m) => m.account));
    expect([...senders].some((s) => !current.has(s!))).toBe(true);
  });
});
