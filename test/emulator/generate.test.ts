// The data generator: deterministic, and covering everything a backup must survive.

import { describe, expect, it } from 'vitest';
import type { GroupMsg, MsgElem } from '../../app/im/wire';
import { DEFAULT_SHARES, type HistoryConfig, type SeqKind, generateMembers, generateMessage, seqKind, timestampOf } from './generate';
import { BROKEN, HOSTILE, RTL, ZERO_WIDTH } from './corpus';

const START = 1_700_000_000;
function config(seed: number, over: Partial<HistoryConfig> = {}): HistoryConfig {
  return { ...DEFAULT_SHARES, seed, count: 5000, startTime: START, spanSeconds: 30 * 86400, members: generateMembers(seed, 40, START), ...over };
}
const history = (cfg: HistoryConfig, n = cfg.count) => Array.from({ length: n }, (_, i) => generateMessage(cfg, i + 1, timestampOf(cfg, i + 1)));
const elems = (msgs: GroupMsg[]) => msgs.flatMap((m) => m.MsgBody as MsgElem[]);

describe('generator', () => {
  it('is a pure function of the seed', () => {
    const a = config(42);
    const b = config(42);
    expect(JSON.stringify(history(a, 500))).toBe(JSON.stringify(history(b, 500)));
    expect(generateMembers(42, 40, START)).toEqual(generateMembers(42, 40, START));
    expect(history(config(43), 50)).not.toEqual(history(a, 50));
    // Seq by Seq, in any order: a million-message group needs no memory until it is read.
    expect(generateMessage(a, 4000, 1)).toEqual(generateMessage(b, 4000, 1));
  });

  it('covers every element type of spec §6, and unknown future types', () => {
    const types = new Set(elems(history(config(7))).map((e) => e.MsgType));
    for (const t of ['TIMTextElem', 'TIMLocationElem', 'TIMFaceElem', 'TIMCustomElem', 'TIMSoundElem', 'TIMImageElem', 'TIMFileElem', 'TIMVideoFileElem', 'TIMRelayElem', 'TIMGroupTipElem', 'TIMGroupSystemNoticeElem', 'TIMStreamElem']) {
      expect(types, t).toContain(t);
    }
  });

  it('makes realistic and hostile messages: several elements, at most one custom, relays both ways, system messages, extra fields', () => {
    const msgs = history(config(8));
    expect(msgs.some((m) => m.MsgBody.length >= 3)).toBe(true);
    for (const m of msgs) expect(m.MsgBody.filter((e) => e.MsgType === 'TIMCustomElem').length).toBeLessThanOrEqual(1);
    const relays = elems(msgs).filter((e) => e.MsgType === 'TIMRelayElem').map((e) => e.MsgContent as Record<string, unknown>);
    expect(relays.some((r) => Array.isArray(r['MsgList']))).toBe(true);
    expect(relays.some((r) => typeof r['JsonMsgKey'] === 'string')).toBe(true);
    expect(msgs.some((m) => m.IsSystemMsg === 1 && m.MsgBody[0]!.MsgType.startsWith('TIMGroup'))).toBe(true);
    expect(msgs.some((m) => typeof m.CloudCustomData === 'string')).toBe(true);
    expect(msgs.some((m) => 'MsgFutureField' in m)).toBe(true);
    const wire = JSON.stringify(msgs);
    for (const s of [...HOSTILE.slice(0, 4), ...RTL, ...ZERO_WIDTH]) expect(wire, s).toContain(JSON.stringify(s).slice(1, -1));
    // Lone surrogates travel as JSON escapes.
    expect(wire).toMatch(/\\ud8[0-3][0-9a-f]/);
    expect(BROKEN.some((b) => wire.includes(JSON.stringify(b).slice(1, -1)))).toBe(true);
    // Custom Data is binary-ish, like Tencent's "\b\u0001\u0010..." example.
    expect(elems(msgs).some((e) => e.MsgType === 'TIMCustomElem' && /[\u0000-\u001f]/.test((e.MsgContent as { Data: string }).Data))).toBe(true);
    const senders = new Set(msgs.map((m) => m.From_Account));
    expect(senders.size).toBeGreaterThan(20);
  });

  it('makes 10–60 kB messages at the configured share', () => {
    const msgs = history(config(9, { longShare: 0.5, count: 200 }));
    const sizes = msgs.filter((m) => !m.IsSystemMsg).map((m) => Buffer.byteLength(JSON.stringify(m.MsgBody)));
    const long = sizes.filter((s) => s >= 10_000);
    expect(long.length / sizes.length).toBeGreaterThan(0.35);
    expect(long.length / sizes.length).toBeLessThan(0.65);
    expect(Math.max(...long)).toBeLessThan(70_000);
  });

  it('draws Seq kinds at the configured shares, with non-decreasing timestamps inside the span', () => {
    const cfg = config(10, { count: 10_000, recalledShare: 0.1, deletedShare: 0.05, neverStoredShare: 0.05, systemShare: 0.1 });
    const counts: Record<SeqKind, number> = { normal: 0, system: 0, recalled: 0, deleted: 0, never: 0 };
    let last = 0;
    for (let s = 1; s <= cfg.count; s++) {
      counts[seqKind(cfg, s)]++;
      const t = timestampOf(cfg, s);
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
    expect(last).toBeLessThanOrEqual(START + cfg.spanSeconds);
    expect(counts.recalled / cfg.count).toBeCloseTo(0.1, 1);
    expect(counts.deleted / cfg.count).toBeCloseTo(0.05, 1);
    expect(counts.never / cfg.count).toBeCloseTo(0.05, 1);
    expect(counts.system / cfg.count).toBeCloseTo(0.1, 1);
    expect(history(cfg, 300).filter((m, i) => seqKind(cfg, i + 1) === 'system').every((m) => m.IsSystemMsg === 1)).toBe(true);
  });

  it('gives members one owner, name cards and nicks (some Chinese, some hostile, some empty)', () => {
    const members = generateMembers(11, 300, START);
    expect(members.filter((m) => m.role === 'Owner')).toHaveLength(1);
    expect(members.some((m) => m.role === 'Admin')).toBe(true);
    expect(members.some((m) => m.nameCard === '')).toBe(true);
    expect(members.some((m) => /\p{Script=Han}/u.test(m.nameCard))).toBe(true);
    expect(members.some((m) => /[<>"]/.test(m.nick) || /[<>"]/.test(m.nameCard))).toBe(true);
    expect(members.some((m) => /^\d{18}$/.test(m.account))).toBe(true);
  });
});
