// Covers one Seq window [lo, hi] (at most 20 Seqs). When Tencent answers IsFinished 0/2 (its response-size
// budget cut the answer short), everything from the smallest returned Seq up to the cursor is settled — holes
// included — and the rest of the window is asked for again below it.
//
// Reading and storing are two steps, so that the concurrency limit counts requests, not stores: a store that
// runs slow (one that commits, with its full-text rows, takes tens of milliseconds) must not hold the slot
// the next request needs, or the pacer finds nobody to grant to. Stores run between grants (Pacer.betweenGrants).
// `early` is the window's first answer when it was read ahead (./headstart.ts): it stands for the first request
// if it settles the window, and the window is read as usual if not. `onSent` is told when the first request has
// gone out (or was made unnecessary by the read ahead).

import type { GroupMsg, GroupMsgGetSimpleResponse } from '../im/wire';
import { LIMITS } from '../im/wire';
import type { EngineContext, GroupRef } from './context';
import { settlesWindow } from './headstart';
import { AskForFewer, WindowFailed, getHistory } from './request';

/** What the requests for one window brought back, newest piece first; `failed` if they stopped short. */
export interface WindowRead {
  lo: number;
  hi: number;
  pieces: { lo: number; hi: number; msgs: GroupMsg[] }[];
  /** [lo, failed.hi] could not be read. */
  failed?: { hi: number; reason: string };
}

/** `inserted`: messages new to the archive, including those stored before a window failed part-way. */
export type WindowResult = { ok: true; inserted: number } | { ok: false; inserted: number; lo: number; hi: number; reason: string };

export async function readWindow(
  ctx: EngineContext,
  group: GroupRef,
  lo: number,
  hi: number,
  early?: Promise<GroupMsgGetSimpleResponse | undefined>,
  onSent?: () => void,
): Promise<WindowRead> {
  const read: WindowRead = { lo, hi, pieces: [] };
  let cursor = hi;
  let ask = Math.min(LIMITS.msgsPerCall, hi - lo + 1);
  // Not awaited when absent: the first request must be asked for at once, in the order windows were started.
  const first = early && (await early);
  let ahead = settlesWindow(first, hi) ? first : undefined;
  if (ahead) onSent?.();
  while (cursor >= lo) {
    const count = Math.min(ask, cursor - lo + 1);
    let answer = ahead;
    ahead = undefined;
    try {
      // The rest of a cut-short window goes ahead of the bulk: it is what this window still waits for.
      answer ??= await getHistory(ctx, group, cursor, count, cursor < hi ? { lane: 'urgent' } : { lane: 'bulk', ...(onSent ? { onSend: onSent } : {}) });
    } catch (err) {
      if (err instanceof AskForFewer && count > 1) {
        ask = Math.max(1, Math.floor(count / 2));
        continue;
      }
      if (err instanceof WindowFailed || err instanceof AskForFewer) return { ...read, failed: { hi: cursor, reason: err.message } };
      throw err;
    }
    const bottom = cursor - count + 1;
    const inRange = answer.RspMsgList.filter((m) => m.MsgSeq >= bottom && m.MsgSeq <= cursor);
    const settledDown = answer.IsFinished === 1 ? bottom : smallestSeq(inRange);
    if (settledDown === undefined) {
      // "Not finished" with nothing returned would loop forever; a server doing that is misbehaving.
      return { ...read, failed: { hi: cursor, reason: 'Tencent answered "not finished" but returned no messages.' } };
    }
    read.pieces.push({ lo: settledDown, hi: cursor, msgs: inRange });
    cursor = settledDown - 1;
  }
  return read;
}

/** Stores what was read, and records what could not be, so that a later run fetches exactly that. */
export async function storeWindowRead(ctx: EngineContext, group: GroupRef, read: WindowRead): Promise<WindowResult> {
  let inserted = 0;
  for (const piece of read.pieces) inserted += await storeAnswer(ctx, group, piece.lo, piece.hi, piece.msgs);
  if (read.failed) {
    ctx.archive.markFailed(group.gid, read.lo, read.failed.hi, ctx.runId, read.failed.reason);
    ctx.counters.windowsFailed++;
    return { ok: false, inserted, lo: read.lo, hi: read.failed.hi, reason: read.failed.reason };
  }
  ctx.counters.windowsDone++;
  return { ok: true, inserted };
}

/**
 * Stores what Tencent answered for lo..hi between the pacer's grants, once the archive is ready for it (it may
 * ask storing to wait a moment for its log to start over: Archive.writable). Returns the messages new to it.
 */
export async function storeAnswer(ctx: EngineContext, group: GroupRef, lo: number, hi: number, msgs: GroupMsg[]): Promise<number> {
  await ctx.archive.writable();
  const stored = await ctx.pacer.betweenGrants(() => ctx.archive.storeWindow(group.gid, lo, hi, msgs, ctx.runId));
  ctx.counters.messagesStored += stored.inserted;
  return stored.inserted;
}

function smallestSeq(msgs: GroupMsg[]): number | undefined {
  let min: number | undefined;
  for (const m of msgs) if (min === undefined || m.MsgSeq < min) min = m.MsgSeq;
  return min;
}
