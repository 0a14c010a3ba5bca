// group_msg_get_simple, spec §4: ranges, order, holes, placeholders, the size budget and IsFinished, retention,
// group types, topics, and groups that change while they are read.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupMsg, GroupMsgGetSimpleResponse } from '../../app/im/wire';
import { type Creds, rawCall } from './raw-call';
import { type EmulatedGroup, type Emulator, startEmulator } from './index';
import { withoutSignatures } from '../../app/media/model';

const C: Creds = { sdkAppId: 1400000401, identifier: 'admin', secretKey: 'msg-key' };
const TOPIC = '@TGS#_@TGS#cCOMM@TOPIC#_general';
let skew = 0;
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({
    apps: [{
      sdkAppId: C.sdkAppId, secretKey: C.secretKey, admins: ['admin'],
      groups: [
        { groupId: 'plain', messages: 300, seed: 1, longShare: 0, recalledShare: 0, deletedShare: 0, neverStoredShare: 0 },
        { groupId: 'holes', messages: 400, seed: 2, longShare: 0, recalledShare: 0.15, deletedShare: 0.1, neverStoredShare: 0.1 },
        { groupId: 'long', messages: 60, seed: 3, longShare: 1 },
        { groupId: 'edge', messages: 600, seed: 4, retentionEdgeSeq: 500 },
        { groupId: 'edge-empty', messages: 600, seed: 4, retentionEdgeSeq: 500, expiredAnswersEmpty: true },
        { groupId: 'by-time', messages: 1000, seed: 5, spanDays: 10, retentionDays: 7 },
        { groupId: 'live', type: 'AVChatRoom', messages: 10 },
        { groupId: 'big-room', type: 'BChatRoom', messages: 10 },
        { groupId: '@TGS#_@TGS#cCOMM', type: 'Community', messages: 50, seed: 6, topics: [TOPIC] },
        { groupId: 'grows', messages: 10, seed: 7 },
        { groupId: 'edited', messages: 100, seed: 8, recalledShare: 0, deletedShare: 0, neverStoredShare: 0 },
      ],
    }],
    growth: [{ groupId: 'grows', perSecond: 100 }],
    now: () => Math.floor(Date.now() / 1000) + skew,
  });
});
afterAll(() => emu.close());

async function get(body: Record<string, unknown>): Promise<GroupMsgGetSimpleResponse> {
  const r = await rawCall(emu.url, 'group_msg_get_simple', body, C);
  return r.json as unknown as GroupMsgGetSimpleResponse;
}
const seqs = (r: GroupMsgGetSimpleResponse) => r.RspMsgList.map((m) => m.MsgSeq);
const range = (hi: number, lo: number) => Array.from({ length: hi - lo + 1 }, (_, i) => hi - i);
const g = (id: string, topic?: string): EmulatedGroup => emu.group(C.sdkAppId, id, topic);

describe('ranges and order', () => {
  it('returns the newest ReqMsgNumber Seqs, newest first, when ReqMsgSeq is omitted', async () => {
    const r = await get({ GroupId: 'plain', ReqMsgNumber: 5 });
    expect(r.ActionStatus).toBe('OK');
    expect(r.GroupId).toBe('plain');
    expect(seqs(r)).toEqual(range(300, 296));
    expect(r.IsFinished).toBe(1);
  });

  it('covers [ReqMsgSeq − n + 1, ReqMsgSeq], cut at Seq 1, and treats ReqMsgSeq above the newest as the newest', async () => {
    expect(seqs(await get({ GroupId: 'plain', ReqMsgNumber: 3, ReqMsgSeq: 100 }))).toEqual([100, 99, 98]);
    const low = await get({ GroupId: 'plain', ReqMsgNumber: 10, ReqMsgSeq: 4 });
    expect(seqs(low)).toEqual([4, 3, 2, 1]);
    expect(low.IsFinished).toBe(1);
    expect(seqs(await get({ GroupId: 'plain', ReqMsgNumber: 2, ReqMsgSeq: 10_000 }))).toEqual([300, 299]);
  });

  it('answers at most 20 Seqs and says IsFinished 0 when the range was wider', async () => {
    const wide = await get({ GroupId: 'plain', ReqMsgNumber: 50, ReqMsgSeq: 200 });
    expect(seqs(wide)).toEqual(range(200, 181));
    expect(wide.IsFinished).toBe(0);
    const twenty = await get({ GroupId: 'plain', ReqMsgNumber: 20, ReqMsgSeq: 200 });
    expect(seqs(twenty)).toEqual(range(200, 181));
    expect(twenty.IsFinished).toBe(1);
  });

  it('answers exactly the ground truth', async () => {
    const r = await get({ GroupId: 'plain', ReqMsgNumber: 20, ReqMsgSeq: 150 });
    expect(r.RspMsgList.map(withoutSignatures)).toEqual(range(150, 131).map((s) => withoutSignatures(g('plain').view(s)!)));
  });

  it('carries exactly the spec’s item fields', async () => {
    const r = await get({ GroupId: 'plain', ReqMsgNumber: 20 });
    const allowed = new Set(['From_Account', 'IsPlaceMsg', 'IsSystemMsg', 'MsgBody', 'MsgPriority', 'MsgRandom', 'MsgSeq', 'MsgTimeStamp', 'CloudCustomData', 'MsgFutureField']);
    for (const m of r.RspMsgList) {
      for (const k of ['From_Account', 'IsPlaceMsg', 'MsgBody', 'MsgPriority', 'MsgRandom', 'MsgSeq', 'MsgTimeStamp']) expect(m).toHaveProperty(k);
      for (const k of Object.keys(m)) expect(allowed, k).toContain(k);
      if ('IsSystemMsg' in m) expect(m.IsSystemMsg).toBe(1);
    }
  });
});

describe('holes and placeholders', () => {
  const states = (hi: number, lo: number) => range(hi, lo).map((s) => [s, g('holes').state(s)] as const);

  it('leaves recalled (without WithRecalledMsg) and never-stored Seqs out; deleted ones are IsPlaceMsg 1; IsFinished stays 1', async () => {
    const hi = 400;
    const lo = hi - 19;
    const st = states(hi, lo);
    expect(st.map(([, s]) => s)).toEqual(expect.arrayContaining(['recalled', 'never', 'deleted']));
    const r = await get({ GroupId: 'holes', ReqMsgNumber: 20 });
    expect(r.IsFinished).toBe(1);
    expect(seqs(r)).toEqual(st.filter(([, s]) => s !== 'recalled' && s !== 'never').map(([seq]) => seq));
    for (const m of r.RspMsgList) {
      if (g('holes').state(m.MsgSeq) === 'deleted') {
        expect(m).toEqual({ From_Account: '', IsPlaceMsg: 1, MsgBody: [], MsgRandom: g('holes').original(m.MsgSeq)!.MsgRandom, MsgSeq: m.MsgSeq, MsgTimeStamp: g('holes').original(m.MsgSeq)!.MsgTimeStamp });
      } else {
        expect(m.IsPlaceMsg).toBe(0);
      }
    }
  });

  it('returns recalled Seqs as IsPlaceMsg 2 with WithRecalledMsg 1; never-stored Seqs stay absent', async () => {
    const st = states(400, 381);
    const r = await get({ GroupId: 'holes', ReqMsgNumber: 20, WithRecalledMsg: 1 });
    expect(seqs(r)).toEqual(st.filter(([, s]) => s !== 'never').map(([seq]) => seq));
    const recalled = r.RspMsgList.filter((m) => m.IsPlaceMsg === 2);
    expect(recalled.length).toBe(st.filter(([, s]) => s === 'recalled').length);
    for (const m of recalled) {
      const original = g('holes').original(m.MsgSeq)!;
      expect(m.MsgBody).toEqual([]);
      expect(m.From_Account).toBe(original.From_Account);
      expect(withoutSignatures(m)).toEqual(withoutSignatures(g('holes').view(m.MsgSeq)!));
    }
    expect(g('holes').original(st.find(([, s]) => s === 'never')![0])).toBeUndefined();
  });
});

describe('response size budget', () => {
  it('stops before the 64 KiB budget with IsFinished 0, and paging below the smallest Seq gets everything', async () => {
    const got: GroupMsg[] = [];
    let reqSeq = 60;
    const lo = 41;
    let calls = 0;
    while (reqSeq >= lo) {
      const r = await get({ GroupId: 'long', ReqMsgNumber: reqSeq - lo + 1, ReqMsgSeq: reqSeq });
      calls++;
      expect(Buffer.byteLength(JSON.stringify(r.RspMsgList))).toBeLessThanOrEqual(64 * 1024);
      got.push(...r.RspMsgList);
      if (r.IsFinished === 1) break;
      expect(r.IsFinished).toBe(0);
      reqSeq = Math.min(...seqs(r)) - 1;
    }
    expect(calls).toBeGreaterThan(3);
    const want = range(60, lo).flatMap((s) => g('long').view(s) ?? []).filter((m) => m.IsPlaceMsg !== 2);
    expect(got).toEqual(want);
  });

  it('returns a message larger than the budget alone rather than nothing', async () => {
    const tiny = await startEmulator({
      apps: [{ sdkAppId: C.sdkAppId, secretKey: C.secretKey, admins: ['admin'], groups: [{ groupId: 'long', messages: 60, seed: 3, longShare: 1 }] }],
      responseBudgetBytes: 1000,
    });
    try {
      const r = (await rawCall(tiny.url, 'group_msg_get_simple', { GroupId: 'long', ReqMsgNumber: 5, WithRecalledMsg: 1 }, C)).json as unknown as GroupMsgGetSimpleResponse;
      expect(r.RspMsgList).toHaveLength(1);
      expect(Buffer.byteLength(JSON.stringify(r.RspMsgList))).toBeGreaterThan(1000);
      expect(r.IsFinished).toBe(0);
    } finally {
      await tiny.close();
    }
  });
});

describe('retention', () => {
  it('answers expired Seqs as IsPlaceMsg 1 placeholders; IsFinished 2 when cut short and all expired', async () => {
    const straddle = await get({ GroupId: 'edge', ReqMsgNumber: 20, ReqMsgSeq: 505, WithRecalledMsg: 1 });
    for (const m of straddle.RspMsgList) expect(m.IsPlaceMsg === 1, `Seq ${m.MsgSeq}`).toBe(m.MsgSeq < 500 || g('edge').state(m.MsgSeq) === 'deleted');
    expect(g('edge').state(499)).toBe('expired');
    const below = await get({ GroupId: 'edge', ReqMsgNumber: 30, ReqMsgSeq: 100 });
    expect(seqs(below)).toEqual(range(100, 81));
    expect(below.RspMsgList.every((m) => m.IsPlaceMsg === 1 && m.MsgBody.length === 0 && m.From_Account === '')).toBe(true);
    expect(below.IsFinished).toBe(2);
    expect((await get({ GroupId: 'edge', ReqMsgNumber: 20, ReqMsgSeq: 100 })).IsFinished).toBe(1);
  });

  it('can answer an empty list for a range fully below the edge (expiredAnswersEmpty)', async () => {
    const below = await get({ GroupId: 'edge-empty', ReqMsgNumber: 20, ReqMsgSeq: 100 });
    expect(below.ActionStatus).toBe('OK');
    expect(below.RspMsgList).toEqual([]);
    const straddle = await get({ GroupId: 'edge-empty', ReqMsgNumber: 20, ReqMsgSeq: 505 });
    expect(straddle.RspMsgList.filter((m) => m.MsgSeq < 500)).toHaveLength(499 - 486 + 1);
  });

  it('moves the edge by Seq and by time', async () => {
    const edit = g('edge');
    edit.setRetentionEdge(550);
    expect(edit.state(520)).toBe('expired');
    expect((await get({ GroupId: 'edge', ReqMsgNumber: 1, ReqMsgSeq: 520 })).RspMsgList[0]!.IsPlaceMsg).toBe(1);
    edit.setRetentionEdge(500);

    // 10 days of history, 7 kept: about the oldest 30% have expired; two days later about 50%.
    const byTime = g('by-time');
    const expired = () => range(1000, 1).filter((s) => byTime.state(s) === 'expired').length;
    expect(expired()).toBeGreaterThan(250);
    expect(expired()).toBeLessThan(350);
    skew = 2 * 86400;
    try {
      expect(expired()).toBeGreaterThan(450);
      const first = expired() + 1;
      expect((await get({ GroupId: 'by-time', ReqMsgNumber: 1, ReqMsgSeq: first - 1 })).RspMsgList[0]!.IsPlaceMsg).toBe(1);
    } finally {
      skew = 0;
    }
  });
});

describe('errors', () => {
  it('answers 10007 for group types without history', async () => {
    for (const id of ['live', 'big-room']) expect((await get({ GroupId: id, ReqMsgNumber: 1 })).ErrorCode).toBe(10007);
  });

  it('answers 10010 for an unknown group and 10015 for an invalid ID', async () => {
    expect((await get({ GroupId: 'no-such-group', ReqMsgNumber: 1 })).ErrorCode).toBe(10010);
    for (const id of ['', 'x'.repeat(49), 'tab\there', '群'.repeat(17)]) expect((await get({ GroupId: id, ReqMsgNumber: 1 })).ErrorCode, id).toBe(10015);
    expect((await get({ GroupId: 'x'.repeat(48), ReqMsgNumber: 1 })).ErrorCode).toBe(10010);
  });

  it('answers 10004 with a specific ErrorInfo for bad parameters', async () => {
    const bad: Record<string, unknown>[] = [
      { ReqMsgNumber: 1 },
      { GroupId: 42, ReqMsgNumber: 1 },
      { GroupId: 'plain' },
      { GroupId: 'plain', ReqMsgNumber: 0 },
      { GroupId: 'plain', ReqMsgNumber: '5' },
      { GroupId: 'plain', ReqMsgNumber: 1.5 },
      { GroupId: 'plain', ReqMsgNumber: 5, ReqMsgSeq: 0 },
      { GroupId: 'plain', ReqMsgNumber: 5, ReqMsgSeq: -3 },
      { GroupId: 'plain', ReqMsgNumber: 5, WithRecalledMsg: 2 },
      { GroupId: 'plain', ReqMsgNumber: 5, TopicId: TOPIC },
    ];
    for (const body of bad) {
      const r = await get(body);
      expect(r.ErrorCode, JSON.stringify(body)).toBe(10004);
      expect(r.ErrorInfo).toMatch(/GroupId|ReqMsgNumber|ReqMsgSeq|WithRecalledMsg|TopicId/);
    }
  });
});

describe('Community topics', () => {
  it('reads a topic as its own Seq space; unknown topics are 10010', async () => {
    const topic = await get({ GroupId: '@TGS#_@TGS#cCOMM', ReqMsgNumber: 20, TopicId: TOPIC, WithRecalledMsg: 1 });
    expect(topic.RspMsgList.map(withoutSignatures)).toEqual(range(50, 31).flatMap((s) => g('@TGS#_@TGS#cCOMM', TOPIC).view(s) ?? []).map(withoutSignatures));
    const main = await get({ GroupId: '@TGS#_@TGS#cCOMM', ReqMsgNumber: 20, WithRecalledMsg: 1 });
    expect(main.RspMsgList.map(withoutSignatures)).toEqual(range(50, 31).flatMap((s) => g('@TGS#_@TGS#cCOMM').view(s) ?? []).map(withoutSignatures));
    expect(main.RspMsgList).not.toEqual(topic.RspMsgList);
    expect((await get({ GroupId: '@TGS#_@TGS#cCOMM', ReqMsgNumber: 1, TopicId: '@TGS#_@TGS#cCOMM@TOPIC#_nope' })).ErrorCode).toBe(10010);
  });
});

describe('groups that change while they are read', () => {
  it('grows on its own at the configured rate', async () => {
    const before = (await get({ GroupId: 'grows', ReqMsgNumber: 1, WithRecalledMsg: 1 })).RspMsgList[0]?.MsgSeq ?? 0;
    await new Promise((r) => setTimeout(r, 300));
    const top = g('grows').newestSeq;
    expect(top).toBeGreaterThan(before + 10);
    const r = await get({ GroupId: 'grows', ReqMsgNumber: 20, WithRecalledMsg: 1 });
    expect(Math.max(...seqs(r))).toBeGreaterThanOrEqual(top - 2);
  });

  it('reflects append, recall and remove made through the harness', async () => {
    const e = g('edited');
    e.append(5);
    expect(e.newestSeq).toBe(105);
    const newest = await get({ GroupId: 'edited', ReqMsgNumber: 5 });
    expect(seqs(newest)).toEqual(range(105, 101));
    expect(newest.RspMsgList.every((m) => m.MsgTimeStamp >= e.original(100)!.MsgTimeStamp)).toBe(true);
    e.recall(103);
    e.remove(102);
    expect(e.state(103)).toBe('recalled');
    expect(e.state(102)).toBe('deleted');
    expect(seqs(await get({ GroupId: 'edited', ReqMsgNumber: 5 }))).toEqual([105, 104, 102, 101]);
    const withRecalled = await get({ GroupId: 'edited', ReqMsgNumber: 5, WithRecalledMsg: 1 });
    expect(withRecalled.RspMsgList.map((m) => m.IsPlaceMsg)).toEqual([0, 0, 2, 1, 0]);
    expect(e.original(102)!.MsgBody.length).toBeGreaterThan(0);
    expect(() => e.recall(102)).toThrow(/deleted/);
    expect(() => e.recall(106)).toThrow(RangeError);
  });
});
