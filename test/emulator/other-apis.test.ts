// get_appid_group_list (64-bit cursor), get_group_info, get_group_member_info, portrait_get.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupInfo, GroupMember, UserProfileItem } from '../../app/im/wire';
import { type Creds, rawCall } from './raw-call';
import { type Emulator, type GroupSpec, startEmulator } from './index';

const C: Creds = { sdkAppId: 1400000501, identifier: 'admin', secretKey: 'other-key' };
const COMMUNITY = '@TGS#_@TGS#cMEMBERS';
const groups: GroupSpec[] = [
  ...Array.from({ length: 22 }, (_, i): GroupSpec => ({ groupId: `pub-${i}`, messages: 0, members: 3 })),
  { groupId: 'work', type: 'Work', messages: 10, members: 3 },
  { groupId: 'private-new-names', type: 'Private', useNewTypeNames: true, messages: 5, members: 3 },
  { groupId: 'people', messages: 40, members: 450, seed: 9 },
  { groupId: COMMUNITY, type: 'Community', messages: 0, members: 250 },
  { groupId: 'live', type: 'AVChatRoom', messages: 0, members: 10 },
];
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({
    apps: [{ sdkAppId: C.sdkAppId, secretKey: C.secretKey, admins: ['admin'], groups, rateLimits: { get_appid_group_list: 1000 } }],
  });
});
afterAll(() => emu.close());

const call = (api: Parameters<typeof rawCall>[1], body: unknown, rawBody?: string) =>
  rawCall(emu.url, api, body, C, rawBody === undefined ? {} : { rawBody });

describe('get_appid_group_list', () => {
  it('pages with a 64-bit Next sent as a bare JSON integer above 2^53, which must come back exactly', async () => {
    const seen: string[] = [];
    let next = '0';
    let pages = 0;
    do {
      const r = await call('get_appid_group_list', null, `{"Limit":10,"Next":${next}}`);
      expect(r.json['ErrorCode']).toBe(0);
      expect(r.json['TotalCount']).toBe(groups.length);
      seen.push(...(r.json['GroupIdList'] as { GroupId: string }[]).map((g) => g.GroupId));
      next = /"Next":(\d+)[,}]/.exec(r.text)![1]!;
      if (next !== '0') {
        expect(BigInt(next)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
        // Whoever parses it as a double gets another number...
        const rounded = JSON.stringify(JSON.parse(r.text).Next);
        expect(rounded).not.toBe(next);
        // ...which the server refuses instead of silently serving another page.
        const wrong = await call('get_appid_group_list', null, `{"Limit":10,"Next":${rounded}}`);
        expect(wrong.json['ErrorCode']).toBe(10004);
        expect(wrong.json['ErrorInfo']).toMatch(/Next/);
      }
      pages++;
    } while (next !== '0');
    expect(pages).toBe(3);
    expect(seen).toEqual(groups.map((g) => g.groupId));
  });

  it('checks Limit, Next and GroupType', async () => {
    expect((await call('get_appid_group_list', { Limit: 10_001 })).json['ErrorCode']).toBe(10004);
    expect((await call('get_appid_group_list', { Limit: 0 })).json['ErrorCode']).toBe(10004);
    expect((await call('get_appid_group_list', { Next: '144115188075856017' })).json['ErrorCode']).toBe(10004);
    expect((await call('get_appid_group_list', { Next: 12345 })).json['ErrorCode']).toBe(10004);
    expect((await call('get_appid_group_list', { GroupType: 'Nope' })).json['ErrorCode']).toBe(10004);
    const all = await call('get_appid_group_list', {});
    expect(all.json['GroupIdList']).toHaveLength(groups.length);
    expect(all.json['Next']).toBe(0);
    // Private and Work are one type under two names.
    for (const t of ['Private', 'Work']) {
      const r = await call('get_appid_group_list', { GroupType: t });
      expect((r.json['GroupIdList'] as { GroupId: string }[]).map((g) => g.GroupId)).toEqual(['work', 'private-new-names']);
    }
  });
});

describe('get_group_info', () => {
  it('answers up to 50 groups, each with its own ErrorCode, while the envelope stays OK', async () => {
    const ids = ['people', 'no-such', '', 'work', 'private-new-names', ...Array.from({ length: 45 }, (_, i) => `pub-${i % 22}`)];
    expect(ids).toHaveLength(50);
    const r = await call('get_group_info', { GroupIdList: ids });
    expect(r.json['ErrorCode']).toBe(0);
    const info = r.json['GroupInfo'] as GroupInfo[];
    expect(info.map((g) => g.GroupId)).toEqual(ids);
    expect(info.map((g) => g.ErrorCode).slice(0, 5)).toEqual([0, 10010, 10015, 0, 0]);
    expect(info[1]!.ErrorInfo).toMatch(/not exist|dismissed/);
    expect(info[1]!.Type).toBeUndefined();
    const people = info[0]!;
    expect(people).toMatchObject({ Type: 'Public', NextMsgSeq: 41, MemberNum: 450, ErrorInfo: '' });
    for (const k of ['Name', 'Introduction', 'Notification', 'FaceUrl', 'Owner_Account', 'CreateTime', 'LastMsgTime', 'MaxMemberNum']) expect(people).toHaveProperty(k);
    expect(people.LastMsgTime).toBeGreaterThan(people.CreateTime!);
    expect(info[3]!.Type).toBe('Work');
    expect(info[4]!.Type).toBe('Work');
  });

  it('refuses more than 50 IDs, and applies GroupBaseInfoFilter', async () => {
    const r = await call('get_group_info', { GroupIdList: Array.from({ length: 51 }, (_, i) => `pub-${i % 22}`) });
    expect(r.json['ErrorCode']).toBe(10004);
    expect((await call('get_group_info', { GroupIdList: [] })).json['ErrorCode']).toBe(10004);
    const f = await call('get_group_info', { GroupIdList: ['people'], ResponseFilter: { GroupBaseInfoFilter: ['NextMsgSeq', 'Name'] } });
    expect(Object.keys((f.json['GroupInfo'] as GroupInfo[])[0]!).sort()).toEqual(['ErrorCode', 'ErrorInfo', 'GroupId', 'Name', 'NextMsgSeq']);
  });

  it('follows a growing group in NextMsgSeq', async () => {
    emu.group(C.sdkAppId, 'work').append(3);
    const r = await call('get_group_info', { GroupIdList: ['work'] });
    expect((r.json['GroupInfo'] as GroupInfo[])[0]!.NextMsgSeq).toBe(14);
  });
});

describe('get_group_member_info', () => {
  it('pages with Limit ≤ 200 and Offset', async () => {
    const all: GroupMember[] = [];
    for (let offset = 0; ; offset += 200) {
      const r = await call('get_group_member_info', { GroupId: 'people', Limit: 200, Offset: offset });
      expect(r.json['MemberNum']).toBe(450);
      const page = r.json['MemberList'] as GroupMember[];
      all.push(...page);
      if (page.length < 200) break;
    }
    expect(all).toHaveLength(450);
    expect(new Set(all.map((m) => m.Member_Account)).size).toBe(450);
    expect(all.filter((m) => m.Role === 'Owner')).toHaveLength(1);
    for (const m of all) expect(Object.keys(m)).toEqual(expect.arrayContaining(['Member_Account', 'Role', 'JoinTime', 'NameCard']));
    expect((await call('get_group_member_info', { GroupId: 'people', Limit: 201 })).json['ErrorCode']).toBe(10004);
    expect((await call('get_group_member_info', { GroupId: 'people', Offset: -1 })).json['ErrorCode']).toBe(10004);
    expect((await call('get_group_member_info', { GroupId: 'nope' })).json['ErrorCode']).toBe(10010);
    expect((await call('get_group_member_info', { GroupId: 'live' })).json['ErrorCode']).toBe(10007);
  });

  it('pages Community groups with Next instead of Offset', async () => {
    expect((await call('get_group_member_info', { GroupId: COMMUNITY, Offset: 0 })).json['ErrorCode']).toBe(10004);
    expect((await call('get_group_member_info', { GroupId: 'people', Next: '' })).json['ErrorCode']).toBe(10004);
    let next = '';
    const accounts: string[] = [];
    do {
      const r = await call('get_group_member_info', { GroupId: COMMUNITY, Limit: 100, Next: next });
      accounts.push(...(r.json['MemberList'] as GroupMember[]).map((m) => m.Member_Account));
      next = r.json['Next'] as string;
    } while (next !== '');
    expect(new Set(accounts).size).toBe(250);
    expect((await call('get_group_member_info', { GroupId: COMMUNITY, Next: 'bogus' })).json['ErrorCode']).toBe(10004);
  });
});

describe('portrait_get', () => {
  it('answers nicks for up to 100 accounts, 70107 for unknown ones', async () => {
    const members = (await call('get_group_member_info', { GroupId: 'people', Limit: 99 })).json['MemberList'] as GroupMember[];
    const r = await call('portrait_get', { To_Account: [...members.map((m) => m.Member_Account), 'ghost'], TagList: ['Tag_Profile_IM_Nick'] });
    expect(r.json['ErrorCode']).toBe(0);
    const items = r.json['UserProfileItem'] as UserProfileItem[];
    expect(items).toHaveLength(100);
    expect(items.at(-1)).toMatchObject({ To_Account: 'ghost', ResultCode: 70107 });
    for (const it of items.slice(0, -1)) {
      expect(it.ResultCode).toBe(0);
      expect(it.ProfileItem).toEqual([{ Tag: 'Tag_Profile_IM_Nick', Value: expect.any(String) }]);
    }
    expect(items.some((i) => (i.ProfileItem?.[0]?.Value as string | undefined)?.length)).toBe(true);
    const tooMany = await call('portrait_get', { To_Account: Array.from({ length: 101 }, (_, i) => `u${i}`), TagList: ['Tag_Profile_IM_Nick'] });
    expect(tooMany.json['ErrorCode']).toBe(10004);
    expect((await call('portrait_get', { To_Account: ['admin'] })).json['ErrorCode']).toBe(10004);
  });
});

describe('get_topic', () => {
  let topics: Emulator;
  const T = (name: string) => `@TGS#_@TGS#cTOPICS@TOPIC#_${name}`;
  beforeAll(async () => {
    topics = await startEmulator({
      apps: [{
        sdkAppId: C.sdkAppId, secretKey: C.secretKey, admins: ['admin'],
        groups: [
          { groupId: '@TGS#_@TGS#cTOPICS', type: 'Community', messages: 30, topics: [T('general'), T('公告')] },
          { groupId: '@TGS#_@TGS#cNOTOPICS', type: 'Community', messages: 5 },
          { groupId: 'plain', messages: 5 },
        ],
      }],
    });
  });
  afterAll(() => topics.close());
  const get = (body: unknown) => rawCall(topics.url, 'get_topic', body, C);

  it('lists every topic with its own newest Seq, in creation order', async () => {
    const r = await get({ GroupId: '@TGS#_@TGS#cTOPICS', From_Account: 'admin' });
    expect(r.json['ErrorCode']).toBe(0);
    const items = r.json['TopicAndSelfInfo'] as { ErrorCode: number; TopicInfo: Record<string, unknown> }[];
    expect(items.map((i) => [i.ErrorCode, i.TopicInfo['TopicId'], i.TopicInfo['TopicName']])).toEqual([[0, T('general'), 'general'], [0, T('公告'), '公告']]);
    expect(items[0]!.TopicInfo['NextMsgSeq']).toBe(topics.group(C.sdkAppId, '@TGS#_@TGS#cTOPICS', T('general')).newestSeq + 1);
  });

  it('answers only the topics asked for; an unknown one is an item with 10010', async () => {
    const r = await get({ GroupId: '@TGS#_@TGS#cTOPICS', From_Account: 'admin', TopicIdList: [T('公告'), T('nope')] });
    const items = r.json['TopicAndSelfInfo'] as { ErrorCode: number; TopicInfo: Record<string, unknown> }[];
    expect(items.map((i) => [i.ErrorCode, i.TopicInfo['TopicId']])).toEqual([[0, T('公告')], [10010, T('nope')]]);
  });

  it('requires From_Account; refuses groups without topics (10007) and unknown groups (10010)', async () => {
    expect((await get({ GroupId: '@TGS#_@TGS#cTOPICS' })).json['ErrorCode']).toBe(10004);
    expect((await get({ GroupId: '@TGS#_@TGS#cTOPICS', From_Account: 'admin', TopicIdList: [] })).json['ErrorCode']).toBe(10004);
    expect((await get({ GroupId: '@TGS#_@TGS#cNOTOPICS', From_Account: 'admin' })).json['ErrorCode']).toBe(10007);
    expect((await get({ GroupId: 'plain', From_Account: 'admin' })).json['ErrorCode']).toBe(10007);
    expect((await get({ GroupId: 'gone', From_Account: 'admin' })).json['ErrorCode']).toBe(10010);
  });
});
