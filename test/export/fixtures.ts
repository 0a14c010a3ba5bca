// Archives for the export tests and benchmark, filled through Archive.storeWindow as a backup fills them: the
// emulator's realistic chat (every element type, hostile strings, recalls, deletions, holes, system notices),
// members with name cards and profiles with nicks, and optionally expired and failed ranges.

import type { Archive } from '../../app/archive';
import type { GroupMsg } from '../../app/im/wire';
import { DEFAULT_SHARES, generateMembers, generateMessage, type HistoryConfig, seqKind, timestampOf } from '../emulator/generate';

export const SDKAPPID = 1400000777;

export interface GroupFixture {
  groupId: string;
  name?: string;
  /** Seqs 1..messages are generated; recalled, deleted and never-stored Seqs among them as the emulator spreads them. */
  messages: number;
  seed?: number;
  /** Seconds from the first to the last message (default 60 days, so pages split by month). */
  spanSeconds?: number;
  members?: number;
  /** Seqs 1..expiredBelow − 1 are recorded as expired instead of stored. */
  expiredBelow?: number;
  /** A window that failed: recorded as failed instead of stored. */
  failed?: { lo: number; hi: number };
  /** Newest Seq reported by get_group_info; default `messages`. */
  newestSeq?: number;
  /** Extra messages stored after the generated ones (Seqs continue after `messages`). */
  extra?: (seq: number, time: number) => GroupMsg[];
}

export const START_TIME = 1_714_500_000; // 2024-04-30 UTC

export function historyOf(f: GroupFixture): HistoryConfig {
  const seed = f.seed ?? 7;
  return {
    ...DEFAULT_SHARES,
    seed,
    count: f.messages,
    startTime: START_TIME,
    spanSeconds: f.spanSeconds ?? 60 * 86400,
    members: generateMembers(seed, f.members ?? 30, START_TIME),
  };
}

/** Fills `archive` with the groups; returns each group's gid. */
export function fillArchive(archive: Archive, groups: GroupFixture[]): number[] {
  const runId = archive.beginRun();
  const gids = groups.map((f) => {
    const cfg = historyOf(f);
    const extra = f.extra?.(f.messages + 1, START_TIME + cfg.spanSeconds + 60) ?? [];
    const newest = f.newestSeq ?? f.messages + extra.length;
    const gid = archive.upsertGroup({
      sdkAppId: SDKAPPID,
      groupId: f.groupId,
      info: { GroupId: f.groupId, ErrorCode: 0, ErrorInfo: '', Type: 'Public', Name: f.name ?? f.groupId, NextMsgSeq: newest + 1 },
      newestSeq: newest,
    });
    archive.upsertMembers(
      gid,
      cfg.members.map((m) => ({ Member_Account: m.account, NameCard: m.nameCard, Role: m.role, JoinTime: m.joinTime })),
    );
    archive.upsertProfiles(SDKAPPID, cfg.members.filter((m) => m.nick !== '').map((m) => ({ account: m.account, nick: m.nick })));
    const first = f.expiredBelow ?? 1;
    if (first > 1) archive.markExpired(gid, 1, first - 1, runId);
    const recalledLater: GroupMsg[] = [];
    for (let lo = first; lo <= f.messages; lo += 20) {
      const hi = Math.min(f.messages, lo + 19);
      if (f.failed && lo <= f.failed.hi && hi >= f.failed.lo) {
        archive.markFailed(gid, lo, hi, runId, 'HTTP 502 three times');
        continue;
      }
      const msgs: GroupMsg[] = [];
      for (let seq = lo; seq <= hi; seq++) {
        const kind = seqKind(cfg, seq);
        if (kind === 'never') continue;
        const original = generateMessage(cfg, seq, timestampOf(cfg, seq));
        if (kind === 'deleted') msgs.push(deletedOf(original));
        else msgs.push(original);
        // Half the recalls happen after the backup saw the message (the original is kept), half before.
        if (kind === 'recalled') (seq % 2 ? recalledLater.push(recalledOf(original)) : msgs.splice(-1, 1, recalledOf(original)));
      }
      archive.storeWindow(gid, lo, hi, msgs, runId);
    }
    for (const r of recalledLater) archive.storeWindow(gid, r.MsgSeq, r.MsgSeq, [r], runId);
    if (extra.length) archive.storeWindow(gid, f.messages + 1, f.messages + extra.length, extra, runId);
    return gid;
  });
  archive.finishRun(runId, 'ok', {});
  return gids;
}

export function recalledOf(m: GroupMsg): GroupMsg {
  return { From_Account: m.From_Account, IsPlaceMsg: 2, MsgBody: [], MsgPriority: m.MsgPriority ?? 2, MsgRandom: m.MsgRandom, MsgSeq: m.MsgSeq, MsgTimeStamp: m.MsgTimeStamp };
}

export function deletedOf(m: GroupMsg): GroupMsg {
  return { From_Account: '', IsPlaceMsg: 1, MsgBody: [], MsgRandom: m.MsgRandom, MsgSeq: m.MsgSeq, MsgTimeStamp: m.MsgTimeStamp };
}

/** A text message from `from` at `time`. */
export function textMessage(seq: number, time: number, from: string, text: string): GroupMsg {
  return { From_Account: from, IsPlaceMsg: 0, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }], MsgPriority: 2, MsgRandom: seq * 7919, MsgSeq: seq, MsgTimeStamp: time };
}
