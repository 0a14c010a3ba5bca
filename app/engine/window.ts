// Covers one Seq window [lo, hi] (at most 20 Seqs) and stores the answer. When Tencent answers IsFinished 0/2
// (its response-size budget cut the answer short), everything from the smallest returned Seq up to the cursor
// is settled — holes included — and the rest of the window is asked for again below it.

import type { GroupMsg } from '../im/wire';
import { LIMITS } from '../im/wire';
import type { EngineContext, GroupRef } from './context';
import { AskForFewer, WindowFailed, getHistory } from './request';

/** `inserted`: messages new to the archive, including those stored before a window failed part-way. */
export type WindowResult = { ok: true; inserted: number } | { ok: false; inserted: number; lo: number; hi: number; reason: string };

export async function fetchWindow(ctx: EngineContext, group: GroupRef, lo: number, hi: number): Promise<WindowResult> {
  let cursor = hi;
  let inserted = 0;
  let ask = Math.min(LIMITS.msgsPerCall, hi - lo + 1);
  while (cursor >= lo) {
    const count = Math.min(ask, cursor - lo + 1);
    let answer;
    try {
      answer = await getHistory(ctx, group, cursor, count);
    } catch (err) {
      if (err instanceof AskForFewer && count > 1) {
        ask = Math.max(1, Math.floor(count / 2));
        continue;
      }
      if (err instanceof WindowFailed || err instanceof AskForFewer) {
        ctx.archive.markFailed(group.gid, lo, cursor, ctx.runId, err.message);
        ctx.counters.windowsFailed++;
        return { ok: false, inserted, lo, hi: cursor, reason: err.message };
      }
      throw err;
    }
    const bottom = cursor - count + 1;
    const inRange = answer.RspMsgList.filter((m) => m.MsgSeq >= bottom && m.MsgSeq <= cursor);
    const settledDown = answer.IsFinished === 1 ? bottom : smallestSeq(inRange);
    if (settledDown === undefined) {
      // "Not finished" with nothing returned would loop forever; a server doing that is misbehaving.
      ctx.archive.markFailed(group.gid, lo, cursor, ctx.runId, 'Tencent answered "not finished" but returned no messages.');
      ctx.counters.windowsFailed++;
      return { ok: false, inserted, lo, hi: cursor, reason: 'incomplete answer' };
    }
    const stored = ctx.archive.storeWindow(group.gid, settledDown, cursor, inRange, ctx.runId);
    ctx.counters.messagesStored += stored.inserted;
    inserted += stored.inserted;
    cursor = settledDown - 1;
  }
  ctx.counters.windowsDone++;
  return { ok: true, inserted };
}

function smallestSeq(msgs: GroupMsg[]): number | undefined {
  let min: number | undefined;
  for (const m of msgs) if (min === undefined || m.MsgSeq < min) min = m.MsgSeq;
  return min;
}
